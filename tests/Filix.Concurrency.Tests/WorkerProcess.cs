using System.Collections.Concurrent;
using System.Diagnostics;

namespace Filix.Concurrency.Tests;

/// <summary>
/// A running <c>Filix.Concurrency.Worker</c> child (<c>dotnet Filix.Concurrency.Worker.dll ...</c>), with its
/// output lines collected as they arrive.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();

    private WorkerProcess(long? fileSizeLimitKib, string[] args)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Filix.Concurrency.Worker.dll");
        var start = new ProcessStartInfo(fileSizeLimitKib is null ? "dotnet" : "bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (fileSizeLimitKib is { } kib)
        {
            // RLIMIT_FSIZE: a write past the limit fails with EFBIG, as on a full disk. SIGXFSZ, which would kill the
            // process instead, stays ignored across exec.
            // The runtime maps its code through a file it grows with ftruncate (W^X double mapping), which the limit
            // would refuse at startup.
            start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {kib}; exec dotnet \"$0\" \"$@\"");
        }

        start.ArgumentList.Add(worker);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _outputClosed.TrySetResult();
            }
            else
            {
                _lines.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public static WorkerProcess Start(params string[] args) => new(null, args);

    /// <summary>A worker whose files cannot grow past <paramref name="kib"/> KiB (<c>ulimit -f</c>): its disk is "full".</summary>
    public static WorkerProcess StartWithFileSizeLimit(long kib, params string[] args) => new(kib, args);

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the worker has printed <paramref name="line"/>.</summary>
    public async Task WaitForLineAsync(string line)
    {
        var deadline = Stopwatch.StartNew();
        while (!Lines.Contains(line))
        {
            Assert.False(_process.HasExited && _outputClosed.Task.IsCompleted, $"The worker exited before printing '{line}': {Describe()}");
            Assert.True(deadline.Elapsed < Patience, $"No '{line}' within {Patience}: {Describe()}");
            await Task.Delay(20);
        }
    }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>The ids the worker reported as acknowledged so far.</summary>
    public List<string> Acked() => Lines.Where(l => l.StartsWith("ack ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();

    /// <summary>Waits until the worker has reported at least <paramref name="count"/> acknowledgements.</summary>
    public async Task WaitForAcksAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (Acked().Count < count)
        {
            Assert.False(_process.HasExited && _outputClosed.Task.IsCompleted, $"The worker exited before {count} acknowledgements: {Describe()}");
            Assert.True(deadline.Elapsed < Patience, $"No {count} acknowledgements within {Patience}: {Describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the process to exit and its output to be read completely; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _outputClosed.Task.WaitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to run any code.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as a service manager or <c>kill</c> sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public string Describe()
    {
        lock (_errors)
        {
            var errorLines = Lines.Where(l => l.StartsWith("error", StringComparison.Ordinal));
            return $"exit {(_process.HasExited ? _process.ExitCode : "-")}; errors: {string.Join(" / ", errorLines)} {_errors}";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
