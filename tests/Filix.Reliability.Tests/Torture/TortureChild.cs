using System.Collections.Concurrent;
using System.Diagnostics;

namespace Filix.Reliability.Tests.Torture;

/// <summary>
/// A running <c>Filix.Reliability.Worker</c> child (<c>dotnet Filix.Reliability.Worker.dll ...</c>): its output lines as
/// they arrive, and the acknowledgements it appended to its own file (read after it is dead).
/// </summary>
internal sealed class TortureChild : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();
    private bool _disposed;
    private TaskCompletionSource _line = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TortureChild(string name, string? acks, string[] args)
    {
        Name = name;
        AckFile = acks;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Filix.Reliability.Worker.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_TieredPGO"] = "0";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _exited.TrySetResult();
            }
            else
            {
                _lines.Enqueue(e.Data);
                Interlocked.Exchange(ref _line, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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

    public string Name { get; }

    /// <summary>The file the child appends its acknowledged ids to; null for a child that acknowledges nothing.</summary>
    public string? AckFile { get; }

    public bool Killed { get; private set; }

    public bool HasExited => ExitCode is not null || _process.HasExited;

    /// <summary>The exit code once the child is gone (kept after <see cref="Dispose"/>).</summary>
    public int? ExitCode { get; private set; }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>A writer: <c>write db acks name shared|direct normal|full tasks seed</c>.</summary>
    public static TortureChild Writer(string db, string folder, string name, bool shared, bool full, int tasks, int seed)
    {
        var acks = Path.Combine(folder, name + ".acks");
        return new TortureChild(name, acks, ["write", db, acks, name, shared ? "shared" : "direct", full ? "full" : "normal", tasks.ToString(), seed.ToString()]);
    }

    public static TortureChild Start(string name, string? acks, params string[] args) => new(name, acks, args);

    /// <summary>Waits until the child printed a line starting with <paramref name="prefix"/> and returns it.</summary>
    public async Task<string> WaitForAsync(string prefix)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var line = Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            Assert.False(_exited.Task.IsCompleted, $"{Name} ended before it printed '{prefix}': {Describe()}");
            Assert.True(deadline.Elapsed < Patience, $"{Name} did not print '{prefix}' within {Patience}: {Describe()}");

            // Woken by the next line (a kill timed from a line should not wait for a polling interval), or after a while
            // to notice an exit.
            await Task.WhenAny(Volatile.Read(ref _line).Task, _exited.Task, Task.Delay(50));
        }
    }

    /// <summary>SIGKILL: the process runs no more code of its own; then waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited: Describe() says why, and the caller's checks fail on an unexpected exit.
        }

        Killed = true;
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _exited.Task.WaitAsync(timeout.Token);
        ExitCode = _process.ExitCode;
    }

    /// <summary>Waits for the child to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _exited.Task.WaitAsync(timeout.Token);
        ExitCode = _process.ExitCode;
        return _process.ExitCode;
    }

    /// <summary>The ids the child acknowledged: whole lines only (a line cut by the kill was never acknowledged).</summary>
    public IReadOnlyList<string> Acked()
    {
        if (AckFile is null || !File.Exists(AckFile))
        {
            return [];
        }

        var text = File.ReadAllText(AckFile);
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    /// <summary>True once the child has acknowledged at least one write.</summary>
    public bool Writing => AckFile is not null && File.Exists(AckFile) && new FileInfo(AckFile).Length > 0;

    /// <summary>An error line (the child failed by itself, which no kill explains), or null.</summary>
    public string? Error => Lines.FirstOrDefault(l => l.StartsWith("error", StringComparison.Ordinal));

    public string Describe()
    {
        lock (_errors)
        {
            return $"{Name}: exit {ExitCode?.ToString() ?? "-"}, killed {Killed}; output: {string.Join(" / ", Lines.Take(20))} {_errors}";
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
