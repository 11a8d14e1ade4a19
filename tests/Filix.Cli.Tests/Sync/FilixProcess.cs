using System.Diagnostics;
using System.Text;

namespace Filix.Cli.Tests.Sync;

/// <summary>
/// The built <c>filix</c> run as a child process (<c>dotnet filix.dll</c>, which is the app's own process, so a signal
/// sent to it reaches the app): what a user or systemd runs, with its own signals, environment and exit code.
/// </summary>
internal sealed class FilixProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private FilixProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => Read(_output);

    public string Error => Read(_error);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>filix args</c>; <paramref name="environment"/> adds variables (a null value removes one).</summary>
    public static FilixProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "filix.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment.Remove("FILIX_UPSTREAM"); // only what the test gives
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new FilixProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet filix.dll"));
    }

    /// <summary>Runs <c>filix args</c> to completion.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 120)
    {
        using var process = Start(args, environment);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        return (process.ExitCode, process.Output, process.Error);
    }

    /// <summary>Waits until stderr holds a line that <paramref name="match"/> accepts; fails with what it printed.</summary>
    public async Task WaitForErrorAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!match(Error))
        {
            if (deadline.Elapsed > timeout || HasExited)
            {
                throw new Xunit.Sdk.XunitException($"filix did not {what} within {timeout.TotalSeconds:0} s (exited: {HasExited}).\n--- stderr\n{Error}\n--- stdout\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM (15) or SIGINT (2).</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", ["-s", signal == 2 ? "INT" : "TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with exit code {kill.ExitCode}");
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"filix did not exit within {timeout.TotalSeconds:0} s.\n--- stderr\n{Error}\n--- stdout\n{Output}");
        }

        _process.WaitForExit(); // drains the asynchronous readers
    }

    public override string ToString() => $"--- stdout\n{Output}\n--- stderr\n{Error}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (to)
            {
                to.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }
}
