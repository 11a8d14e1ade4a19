using Filix.Generators.Model;

namespace Filix.Generators.Parsing;

/// <summary>The schema language's <c>sync:</c> tags: the one spelling of each <see cref="SyncMode"/>, used by the
/// parser, the snapshots, diagnostics, migration names and generated docs alike.</summary>
internal static class SyncTags
{
    public static string Name(SyncMode mode) => mode switch
    {
        SyncMode.Sync => "sync",
        SyncMode.Local => "local",
        SyncMode.Optional => "optional",
        _ => throw Unhandled.Value(mode),
    };

    public static bool TryParse(string? tag, out SyncMode mode)
    {
        foreach (var candidate in new[] { SyncMode.Sync, SyncMode.Local, SyncMode.Optional })
        {
            if (Name(candidate) == tag)
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}
