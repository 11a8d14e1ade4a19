using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Filix.Runtime;

/// <summary>
/// Graceful shutdown for a process that writes Filix databases: on SIGINT (Ctrl+C) or SIGTERM it cancels
/// <see cref="Token"/> so the program stops starting work, disposes every registered database (drain the
/// write queue, commit, checkpoint the WAL) and exits with <see cref="ExitCode"/>. Nothing acknowledged is lost,
/// and writes already queued are committed rather than dropped. A second signal during the drain ends the
/// process at once (safe too: every acknowledged write is already durable).
/// </summary>
/// <example>
/// <code>
/// using var shutdown = FilixShutdown.Install();
/// await using var db = shutdown.Register(await EntitiesDatabase.OpenAsync(path));
/// await RunAsync(db, shutdown.Token);
/// </code>
/// </example>
public sealed class FilixShutdown : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ConcurrentDictionary<IAsyncDisposable, byte> _databases = new(ReferenceEqualityComparer.Instance);
    private readonly PosixSignalRegistration[] _registrations;
    private int _signalled;

    private FilixShutdown()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled when SIGINT or SIGTERM arrives.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The process exit code after a signal-initiated drain (default 0: a requested stop is a success).</summary>
    public int ExitCode { get; set; }

    /// <summary>Whether the process exits once the registered databases are drained (default). A program that
    /// unwinds by itself on <see cref="Token"/> (disposing its databases on the way out) sets it to false.</summary>
    public bool ExitAfterDrain { get; set; } = true;

    /// <summary>Hooks SIGINT and SIGTERM for this process.</summary>
    public static FilixShutdown Install() => new();

    /// <summary>Disposes <paramref name="database"/> (a <see cref="FilixDatabase"/> or a generated database) on a signal.</summary>
    public T Register<T>(T database)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(database);
        _databases.TryAdd(database, 0);
        return database;
    }

    /// <summary>Forgets <paramref name="database"/> (the program closed it itself and keeps running), so a process
    /// that opens and closes many databases does not hold on to every one of them.</summary>
    /// <returns>False when it was not registered.</returns>
    public bool Unregister(IAsyncDisposable database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return _databases.TryRemove(database, out _);
    }

    /// <summary>Disposes the registered databases now (drain, commit, checkpoint), as a signal would.</summary>
    public async Task DrainAsync()
    {
        List<Exception>? errors = null;
        foreach (var database in _databases.Keys)
        {
            try
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // One database failing to close must not keep the others from draining.
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("Closing one or more Filix databases failed; the other databases were drained and closed.", errors);
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 1)
        {
            return; // second signal: let the default action end the process
        }

        context.Cancel = true;
        _ = Task.Run(async () =>
        {
            try
            {
                await _cancellation.CancelAsync().ConfigureAwait(false);
                await DrainAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await Console.Error.WriteLineAsync("filix: shutting down: " + ex.Message).ConfigureAwait(false);
                ExitCode = ExitCode == 0 ? 1 : ExitCode;
            }
            finally
            {
                if (ExitAfterDrain)
                {
                    Environment.Exit(ExitCode);
                }
            }
        });
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
