using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Filix.Benchmarks;

/// <summary>
/// Jobs sized for a shared 2-core machine: few launches and iterations, so a whole run takes minutes. Pass
/// BenchmarkDotNet's own <c>--job</c> options on the command line to measure longer.
/// </summary>
internal static class BenchmarkConfig
{
    /// <summary>Reads take micro- to milliseconds: the usual pilot-chosen invocation count, 3 warm-ups, 15 iterations (the machine is noisy).</summary>
    public sealed class Reads : ManualConfig
    {
        public Reads() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithId("Reads"));
    }

    /// <summary>An insert of 10,000 rows changes the file, so each iteration runs it exactly once after the
    /// table has been emptied (<see cref="RunStrategy.Monitoring"/>: no pilot, no unrolling).</summary>
    public sealed class Inserts : ManualConfig
    {
        public Inserts() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Inserts"));
    }
}
