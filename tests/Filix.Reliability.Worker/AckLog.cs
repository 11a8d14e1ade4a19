using System.Text;

namespace Filix.Reliability.Worker;

/// <summary>
/// The acknowledgements of one child, one id a line, appended only after the write's task completed. Each append is
/// one write(2) straight to the kernel (no buffer of ours left behind by SIGKILL), so what the test reads after the
/// kill is every write the child saw acknowledged, and only those. A power loss is not simulated, so no fsync.
/// </summary>
internal sealed class AckLog(string path) : IDisposable
{
    private readonly FileStream _file = new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    private readonly Lock _gate = new();

    public void Append(IEnumerable<string> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            text.Append(id).Append('\n');
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        lock (_gate)
        {
            _file.Write(bytes);
        }
    }

    public void Dispose() => _file.Dispose();
}
