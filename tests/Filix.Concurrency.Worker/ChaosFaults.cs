using Filix.Runtime.Sharing;

namespace Filix.Concurrency.Worker;

/// <summary>
/// The chaos test's faults inside a worker: now and then the client's connection is cut in the middle of a frame
/// (a socket closed mid-frame), at points drawn from a seeded generator so a run can be replayed.
/// </summary>
internal sealed class ChaosFaults(int seed, TextWriter output) : SharingFaults
{
    private readonly Random _random = new(seed);

    /// <summary>One send in this many is cut short.</summary>
    private const int CutOneIn = 20;

    public override int BeforeClientSend(int length)
    {
        int cut;
        lock (_random)
        {
            cut = _random.Next(CutOneIn) == 0 ? _random.Next(length) : length;
        }

        if (cut < length)
        {
            output.WriteLine($"cut {cut} of {length}");
        }

        return cut;
    }
}
