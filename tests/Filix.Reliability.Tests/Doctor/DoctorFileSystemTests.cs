using Filix.Runtime.FileSystems;

namespace Filix.Reliability.Tests.Doctor;

/// <summary>Seed 001's data folder on an SMB share, as doctor sees it (the share is simulated for this async flow only:
/// <see cref="FileSystemProbe.Simulate"/>).</summary>
[Collection(FileSystems.FileSystemsCollection.Name)]
public sealed class DoctorFileSystemTests
{
    [Fact]
    public async Task A_data_folder_on_an_smb_share_is_a_problem_naming_the_file_system_and_the_fix()
    {
        using var folder = await DoctorFolder.CreateAsync();
        (int ExitCode, string Output, string Error) result;
        using (FileSystemProbe.Simulate(_ => LinuxFileSystems.FromMagic(0xFF534D42, "cifs")))
        {
            result = await folder.RunAsync("doctor");
        }

        var (exit, output, error) = result;
        Assert.True(exit == 1, output + error);
        Assert.True(output.Contains($"PROBLEM  file system    '{folder.Path}' is on cifs (network;", StringComparison.Ordinal), output);
        Assert.Contains("give every other machine its own copy through 'filix sync'", output);
        Assert.Contains("FILIX_UNSAFE_FILESYSTEM=exclusive-rollback-journal", output);
        Assert.Contains("Unhealthy: 7 problems", output);
    }
}
