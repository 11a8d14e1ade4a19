using System.CommandLine;
using Filix.Cli.Commands;

var root = new RootCommand("Filix: local-first domain databases.");
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(MigrationsCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
