using System.CommandLine;
using Filix.Cli.Commands;

// Minimal host for `filix bench writers`; the full CLI (other commands) is merged in from its own branch.
var data = new Option<string?>("--data") { Description = "The data folder.", Recursive = true };
var json = new Option<bool>("--json") { Description = "Print machine-readable JSON.", Recursive = true };
var root = new RootCommand("Filix: typed local-first databases.") { data, json };
root.Add(new Command("bench", "Measure Filix.") { BenchWritersCommand.Create(), BenchWritersCommand.CreateWorker() });

// Signals are handled by FilixShutdown (drain, commit, checkpoint), not by System.CommandLine's own handler.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
