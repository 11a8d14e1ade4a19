using Filix.Cli.Domains;

namespace Filix.Cli.Tests;

/// <summary>The recorded history of a live domain (schema/migrations/&lt;domain&gt;), as the build embedded it: tests
/// over the live domains follow it instead of naming <c>0001_initial</c>, so a schema change recorded by the build
/// (the README's walk) does not break them.</summary>
internal static class LiveHistory
{
    /// <summary>Every recorded migration of <paramref name="domain"/>, oldest first (<c>0001_initial</c>, ...).</summary>
    public static IReadOnlyList<string> Of(string domain) => [.. DomainRegistry.Find(domain).Schema.Migrations.Select(m => m.ToString())];

    /// <summary>The same, as the CLI lists them in one line.</summary>
    public static string Joined(string domain) => string.Join(", ", Of(domain));
}
