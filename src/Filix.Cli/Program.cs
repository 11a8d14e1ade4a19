using Filix.Cli;

// Ctrl+C is handled by System.CommandLine: it cancels the token the command runs with.
return await FilixCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
