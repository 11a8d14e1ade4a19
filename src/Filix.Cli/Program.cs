using Filix.Cli;

// SIGINT/SIGTERM are handled by FilixShutdown in each command (drain the writer, commit, checkpoint).
return await FilixCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
