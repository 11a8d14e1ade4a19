using Filix.Cli.Doctor;
using Filix.Cli.Doctor.Checks;
using Filix.Cli.Domains;

namespace Filix.Reliability.Tests.Doctor;

/// <summary>Doctor's checks one at a time, and the runner's rule that a failing check does not hide the others.</summary>
public sealed class DoctorChecksTests
{
    [Fact]
    public async Task A_check_that_throws_is_a_problem_of_that_check_only_and_the_others_still_run()
    {
        using var folder = await DoctorFolder.CreateAsync();
        var report = await DoctorRunner.RunAsync(folder.Path, new DoctorOptions(Full: false, Upstream: null), [new Throwing(), new IntegrityCheck()], CancellationToken.None);

        Assert.False(report.Healthy);
        Assert.Equal(7, report.Problems);
        Assert.All(report.Databases, d =>
        {
            var thrown = Assert.Single(d.Findings, f => f.Check == "throwing");
            Assert.Equal("problem", thrown.Status);
            Assert.Contains($"The throwing check of '{d.Path}' failed: the disk said no", thrown.Message);
            Assert.Equal("ok", Assert.Single(d.Findings, f => f.Check == "integrity").Status);
        });
    }

    [Fact]
    public async Task A_wal_larger_than_checkpoints_allow_is_a_warning_naming_the_file()
    {
        using var folder = await DoctorFolder.CreateAsync();
        var domain = DomainRegistry.Find("music");
        var wal = folder.DatabaseOf("music") + "-wal";
        using (var file = new FileStream(wal, FileMode.Create))
        {
            file.SetLength(WalSizeCheck.Large + 1); // sparse: only the length is looked at
        }

        var finding = await new WalSizeCheck().RunAsync(new DoctorTarget(domain, folder.Path, new DoctorOptions(false, null)), CancellationToken.None);

        Assert.Equal(DoctorStatus.Warning, finding.Status);
        Assert.Contains($"'{wal}' is 128 MiB", finding.Message);
        Assert.Contains("long-running read", finding.Fix);
    }

    private sealed class Throwing : IDoctorCheck
    {
        public string Name => "throwing";

        public Task<DoctorFinding> RunAsync(DoctorTarget target, CancellationToken cancellationToken) => throw new IOException("the disk said no");
    }
}
