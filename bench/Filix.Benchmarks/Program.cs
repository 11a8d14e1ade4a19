using BenchmarkDotNet.Running;
using Filix.Benchmarks.Scenarios;

// dotnet run -c Release --project bench/Filix.Benchmarks -- --filter '*'    BenchmarkDotNet, one method after another
// dotnet run -c Release --project bench/Filix.Benchmarks -- interleaved     the peers taking turns (docs/benchmarks.md)
if (args is ["interleaved"])
{
    await Interleaved.RunAsync(Console.Out);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
