using System.CommandLine;
using Filix.Runtime;

namespace Filix.Cli.Commands;

/// <summary>
/// Runs a command's body and turns the failures a user can act on into one line, <c>filix: &lt;message&gt;</c>,
/// with an exit code: 2 for a bad request (unknown domain, dialect), 1 for a failure, 130 when cancelled.
/// </summary>
internal static class CliAction
{
    public static void Set(Command command, GlobalOptions options, Func<CliContext, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, options, body, cancellationToken));

    private static async Task<int> RunAsync(ParseResult parseResult, GlobalOptions options, Func<CliContext, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;

        // SIGINT/SIGTERM cancel the command, which stops between batches and disposes its databases on the way
        // out: queued writes commit, the WAL is checkpointed, then the process exits with 130.
        using var shutdown = FilixShutdown.Install();
        shutdown.ExitAfterDrain = false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        cancellationToken = linked.Token;
        try
        {
            return await body(options.Context(parseResult, cancellationToken)).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("filix: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (FilixException ex)
        {
            await error.WriteLineAsync("filix: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("filix: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Every write is a transaction: what committed stays, the batch in flight rolled back.
            await error.WriteLineAsync("filix: cancelled; committed batches are kept, the one in progress was rolled back.").ConfigureAwait(false);
            return 130;
        }
    }
}
