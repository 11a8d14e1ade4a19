using System.CommandLine;
using Filix.Cli.Commands;

namespace Filix.Cli;

/// <summary>The <c>filix</c> command line. <see cref="RunAsync"/> is the entry point, callable in-process by tests.</summary>
internal static class FilixCli
{
    public static RootCommand Build()
    {
        var options = new GlobalOptions();
        var root = new RootCommand("Filix: typed local-first databases for the seven domains (entities, papers, contacts, transcripts, music, storage, files).");
        options.AddTo(root);
        foreach (var create in CommandCatalog.All)
        {
            root.Add(create(options));
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        // Signals are Filix's to handle (FilixShutdown: drain, commit, checkpoint), not System.CommandLine's,
        // which would end the process after a timeout whatever the writer still holds.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return Build().Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
