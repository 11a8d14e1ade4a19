using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Filix.Benchmarks;

/// <summary>
/// Jobs sized for a shared 2-core machine: one launch and few iterations, so a whole run takes minutes. A
/// <c>--job</c> given on the command line runs in addition to these, not instead.
/// </summary>
internal static class BenchmarkConfig
{
    /// <summary>BenchmarkDotNet builds a copy of this project (and the generator) without the shared compiler
    /// server; on a busy 2-core machine that takes minutes, past its default limit of two.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Reads take micro- to milliseconds: the usual pilot-chosen invocation count, 3 warm-ups, 15 iterations (the machine is noisy).</summary>
    public sealed class Reads : ManualConfig
    {
        public Reads()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithId("Reads"));
            WithBuildTimeout(BuildTimeout);
        }
    }

    /// <summary>An insert of 10,000 rows changes the file, so each iteration runs it exactly once after the
    /// table has been emptied (<see cref="RunStrategy.Monitoring"/>: no pilot, no unrolling).</summary>
    public sealed class Inserts : ManualConfig
    {
        public Inserts()
        {
            WithBuildTimeout(BuildTimeout);
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(10)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("Inserts"));
        }
    }
}
