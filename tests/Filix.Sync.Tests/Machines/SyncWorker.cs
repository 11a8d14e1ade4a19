using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Filix.Sync.Tests.Machines;

/// <summary>
/// A machine's sync in a child process (<c>Filix.Sync.Worker</c>): every domain pushed then pulled, each step
/// announced on a line (<c>push papers</c>, <c>pulled papers 12</c>, <c>done</c>, <c>error ...</c>), so a test can
/// kill it (SIGKILL) or freeze it (SIGSTOP) at a chosen step.
/// </summary>
internal sealed class SyncWorker : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private SyncWorker(Machine machine, string upstream, int batchSize)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Filix.Sync.Worker.dll"));
        start.ArgumentList.Add(machine.Folder);
        start.ArgumentList.Add(machine.Id);
        start.ArgumentList.Add(batchSize.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(machine.Enabled.Count == 0 ? "-" : string.Join(',', machine.Enabled));
        foreach (var domain in machine.Domains)
        {
            start.ArgumentList.Add(domain.Name);
        }

        start.Environment["FILIX_UPSTREAM"] = upstream;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _closed.TrySetResult();
            }
            else
            {
                _lines.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static SyncWorker Start(Machine machine, string upstream, int batchSize) => new(machine, upstream, batchSize);

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string? Error => Lines.FirstOrDefault(l => l.StartsWith("error ", StringComparison.Ordinal))?[6..];

    /// <summary>Waits for the line <paramref name="line"/>; false when the worker ended without printing it.</summary>
    public async Task<bool> WaitForLineAsync(string line)
    {
        var clock = Stopwatch.StartNew();
        while (!Lines.Contains(line))
        {
            if (_process.HasExited && _closed.Task.IsCompleted)
            {
                return Lines.Contains(line);
            }

            Assert.True(clock.Elapsed < Patience, $"The sync worker did not print '{line}' within {Patience}: {Describe()}");
            await Task.Delay(2);
        }

        return true;
    }

    /// <summary>SIGKILL: the process runs no more code, mid-statement or mid-commit.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGSTOP / SIGCONT: freezes the process where it is (its connections stay open) and resumes it.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        await _closed.Task.WaitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public string Describe()
    {
        lock (_stderr)
        {
            return $"exit {(_process.HasExited ? _process.ExitCode : "-")}; output: {string.Join(" / ", Lines)}; stderr: {_stderr}";
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
