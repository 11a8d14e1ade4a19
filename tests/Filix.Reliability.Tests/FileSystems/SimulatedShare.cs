using Filix.Runtime.FileSystems;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>Makes a local folder look like a share to Filix, in this async flow only (tests running beside it see
/// their real file system).</summary>
internal static class SimulatedShare
{
    /// <summary>What Linux reports for seed 001's SMB mount.</summary>
    public static readonly MountedFileSystem Smb = LinuxFileSystems.FromMagic(0xFF534D42, "cifs");

    public static IDisposable As(MountedFileSystem fileSystem) => FileSystemProbe.Simulate(_ => fileSystem);
}

/// <summary>The tests that simulate a file system or set FILIX_UNSAFE_FILESYSTEM run one at a time (the environment is
/// the process's).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FileSystemsCollection
{
    public const string Name = "FileSystems (environment)";
}
