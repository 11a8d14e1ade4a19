using System.Text;

namespace Filix.Generators.Tests;

/// <summary>
/// Baseline files for generated code (Verify is not available; this is the part of it we need). Each test has a
/// folder <c>Snapshots/&lt;test&gt;/</c> holding <c>&lt;hint name&gt;.verified.cs</c> per generated file. A mismatch
/// writes <c>.received.cs</c> beside the baseline and fails with a short diff; a generated file without a baseline,
/// or a baseline no file matches, fails too. <c>FILIX_ACCEPT_SNAPSHOTS=1</c> accepts what was generated.
/// </summary>
internal static class Snapshot
{
    private const string Verified = ".verified.cs";
    private const string Received = ".received.cs";
    private const int MaxDiffLines = 8;

    public static bool Accepting => Environment.GetEnvironmentVariable("FILIX_ACCEPT_SNAPSHOTS") == "1";

    public static void Verify(string test, IReadOnlyList<(string HintName, string Source)> files)
    {
        var dir = Path.Combine(TestPaths.SnapshotDir, test);
        Directory.CreateDirectory(dir);
        var generated = files.ToDictionary(f => BaseName(f.HintName), f => Normalize(f.Source), StringComparer.Ordinal);
        var baselines = Directory.GetFiles(dir, "*" + Verified)
            .ToDictionary(p => Path.GetFileName(p)[..^Verified.Length], StringComparer.Ordinal);

        if (Accepting)
        {
            foreach (var stale in baselines.Keys.Except(generated.Keys))
            {
                File.Delete(baselines[stale]);
            }

            foreach (var (name, source) in generated)
            {
                File.WriteAllText(Path.Combine(dir, name + Verified), source);
                File.Delete(Path.Combine(dir, name + Received));
            }

            return;
        }

        var problems = new List<string>();
        foreach (var extra in baselines.Keys.Except(generated.Keys).Order(StringComparer.Ordinal))
        {
            problems.Add($"{extra}: a baseline exists but the generator no longer produces this file ({baselines[extra]}).");
        }

        foreach (var (name, source) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var received = Path.Combine(dir, name + Received);
            if (!baselines.TryGetValue(name, out var baseline))
            {
                File.WriteAllText(received, source);
                problems.Add($"{name}: generated but has no baseline; see {received}.");
                continue;
            }

            var expected = Normalize(File.ReadAllText(baseline));
            if (expected == source)
            {
                File.Delete(received);
                continue;
            }

            File.WriteAllText(received, source);
            problems.Add($"{name}: differs from its baseline; see {received}.\n{Diff(expected, source)}");
        }

        Assert.True(problems.Count == 0, $"Snapshot '{test}' does not match ({problems.Count} problem(s)). If the change is intended, " +
            "re-run with FILIX_ACCEPT_SNAPSHOTS=1 and review the baselines in git.\n" + string.Join("\n", problems));
    }

    /// <summary><c>Entities.Schema.g.cs</c> -> <c>Entities.Schema.g</c>.</summary>
    private static string BaseName(string hintName) => hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;

    // Baselines compare by content, not by the line endings a checkout gave them.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The line counts and the first differing lines, numbered as in the files.</summary>
    private static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var sb = new StringBuilder($"    verified: {a.Length} lines, received: {b.Length} lines\n");
        var shown = 0;
        for (var i = 0; i < Math.Max(a.Length, b.Length) && shown < MaxDiffLines; i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                sb.Append($"    line {i + 1}:\n      - {left}\n      + {right}\n");
                shown++;
            }
        }

        return sb.ToString();
    }
}
