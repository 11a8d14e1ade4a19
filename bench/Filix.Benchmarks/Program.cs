using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Filix.Benchmarks -- --filter '*'   (docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
