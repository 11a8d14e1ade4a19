using Filix.Cli.Commands;
using Filix.Runtime.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Filix.Cli.Sync.Watch;

/// <summary>
/// <c>filix sync --watch</c>: a generic host (Microsoft.Extensions.Hosting) with one <see cref="SyncWatchService"/> per
/// data folder. Under systemd (<c>Type=notify</c>, deploy/systemd/filix-sync.service) <c>UseSystemd</c> reports
/// readiness and stopping and formats the log for the journal; elsewhere it logs one line per event to stderr.
/// SIGINT/SIGTERM stop it cleanly: the batch in flight finishes, the databases close, the exit code is 0.
/// </summary>
internal static class SyncWatchCommand
{
    public static async Task<int> RunAsync(CliContext context, string upstream)
    {
        var folder = context.ResolveDataFolder(create: true);
        var settings = SyncSetup.LoadSettings(folder);
        var watch = new WatchSettings();
        var exit = new WatchExit();

        // No default sources: the daemon's configuration is its command line and filix.sync.json, nothing else
        // (an appsettings.json in the working folder must not change it).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "filix-sync" });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = watch.DrainTimeout + TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(Environment.GetEnvironmentVariable("FILIX_SYNC_DEBUG") == "1" ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout stays for reports
        builder.Services.AddSingleton(watch);
        builder.Services.AddSingleton(exit);
        builder.Services.AddSingleton(new WatchedFolder(folder, upstream, settings));
        builder.Services.AddHostedService<SyncWatchService>();
        builder.Services.AddSingleton(BackupSchedule.FromEnvironment());
        builder.Services.AddHostedService<BackupScheduleService>(); // scheduled backups and integrity checks (docs/reliability/backups.md)

        using var host = builder.Build();
        try
        {
            await host.RunAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Stopped while starting: a requested stop all the same.
        }

        return exit.Code;
    }
}
