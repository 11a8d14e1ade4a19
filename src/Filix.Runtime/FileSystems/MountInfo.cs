using System.Text;

namespace Filix.Runtime.FileSystems;

/// <summary>Linux's <c>/proc/self/mountinfo</c> (proc(5)): which mount holds a path, and its <c>fstype</c>. Read
/// only when statfs's magic leaves the question open (FUSE, WSL 1, a magic Filix does not know).</summary>
internal static class MountInfo
{
    /// <summary>One mount: where it is (as this process sees it), its fstype (<c>fuse.sshfs</c>) and source.</summary>
    internal sealed record Mount(string MountPoint, string FsType, string Source);

    /// <summary>The mounts listed in <paramref name="text"/>, in mount order; malformed lines are skipped.</summary>
    public static IReadOnlyList<Mount> Parse(string text)
    {
        var mounts = new List<Mount>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var before = line[..separator].Split(' ');
            var after = line[(separator + 3)..].Split(' ');
            if (before.Length < 5 || after.Length < 2)
            {
                continue;
            }

            mounts.Add(new Mount(Unescape(before[4]), after[0], Unescape(after[1])));
        }

        return mounts;
    }

    /// <summary>The mount that holds <paramref name="path"/> (absolute, symbolic links resolved): the longest mount
    /// point that contains it, and of mounts on the same point the last one (it hides the others).</summary>
    public static Mount? Holding(IReadOnlyList<Mount> mounts, string path)
    {
        Mount? best = null;
        foreach (var mount in mounts)
        {
            if (Contains(mount.MountPoint, path) && (best is null || mount.MountPoint.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }

        return best;
    }

    private static bool Contains(string mountPoint, string path) =>
        mountPoint == "/"
        || path == mountPoint
        || (path.StartsWith(mountPoint, StringComparison.Ordinal) && path.Length > mountPoint.Length && path[mountPoint.Length] == '/');

    /// <summary>The kernel writes space, tab, newline and backslash in paths as octal escapes (<c>\040</c>).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string s, int at) =>
        at + 2 < s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
