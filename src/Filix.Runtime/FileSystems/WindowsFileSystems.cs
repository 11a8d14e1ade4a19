namespace Filix.Runtime.FileSystems;

/// <summary>Windows: a UNC path (<c>\\server\share</c>, <c>\\?\UNC\server\share</c>, WSL's <c>\\wsl$</c>) is a
/// share whatever its server; otherwise <c>GetDriveType</c> of the path's drive says whether it is remote
/// (a mapped network drive). Pure; <see cref="FileSystemProbe"/> asks Windows.</summary>
internal static class WindowsFileSystems
{
    /// <summary>The share's server of a UNC path, or null when <paramref name="path"/> is not one.
    /// <c>\\?\C:\</c> and <c>\\.\C:\</c> are device paths to a drive, not shares.</summary>
    public static string? UncServer(string path)
    {
        var p = path.Replace('/', '\\');
        string rest;
        if (p.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase) || p.StartsWith(@"\\.\UNC\", StringComparison.OrdinalIgnoreCase))
        {
            rest = p[8..];
        }
        else if (p.StartsWith(@"\\?\", StringComparison.Ordinal) || p.StartsWith(@"\\.\", StringComparison.Ordinal))
        {
            return null;
        }
        else if (p.StartsWith(@"\\", StringComparison.Ordinal))
        {
            rest = p[2..];
        }
        else
        {
            return null;
        }

        var end = rest.IndexOf('\\');
        var server = end < 0 ? rest : rest[..end];
        return server.Length == 0 ? null : server;
    }

    /// <summary>The kind of the folder <paramref name="path"/> given its drive's <paramref name="driveType"/> and volume
    /// <paramref name="format"/> (NTFS, ReFS, FAT32; null when Windows did not say).</summary>
    public static MountedFileSystem FromDrive(string path, DriveType driveType, string? format)
    {
        if (UncServer(path) is { } server)
        {
            // WSL's own files seen from Windows go over 9p to the Linux VM; every other UNC path is an SMB share
            // (or WebDAV, NFS client ...: all of them another machine's).
            return server.Equals("wsl$", StringComparison.OrdinalIgnoreCase) || server.Equals("wsl.localhost", StringComparison.OrdinalIgnoreCase)
                ? new MountedFileSystem(FileSystemKind.HostShare, "9p (WSL)", @"UNC path \\" + server)
                : new MountedFileSystem(FileSystemKind.Network, format ?? "SMB", @"UNC path \\" + server);
        }

        var source = "GetDriveType " + driveType switch
        {
            DriveType.Network => "DRIVE_REMOTE",
            DriveType.Fixed => "DRIVE_FIXED",
            DriveType.Removable => "DRIVE_REMOVABLE",
            DriveType.CDRom => "DRIVE_CDROM",
            DriveType.Ram => "DRIVE_RAMDISK",
            DriveType.NoRootDirectory => "DRIVE_NO_ROOT_DIR",
            _ => "DRIVE_UNKNOWN",
        };
        var kind = driveType switch
        {
            DriveType.Network => FileSystemKind.Network,
            DriveType.Fixed or DriveType.Removable or DriveType.CDRom => FileSystemKind.Local,
            DriveType.Ram => FileSystemKind.Memory,
            _ => FileSystemKind.Unknown,
        };
        return new MountedFileSystem(kind, format ?? (kind == FileSystemKind.Network ? "network drive" : "unknown"), source);
    }
}
