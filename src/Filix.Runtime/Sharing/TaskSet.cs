namespace Filix.Runtime.Sharing;

/// <summary>
/// Background tasks of the shared writer that must not be lost: each is tracked until it ends, closing waits for
/// them (<see cref="WhenAllAsync"/>), and a fault that escapes one is kept (<see cref="Fault"/>) instead of going
/// unobserved. Their bodies catch everything themselves, because a write's caller must get an answer whatever
/// fails; <see cref="Fault"/> is the evidence when one did not.
/// </summary>
internal sealed class TaskSet
{
    private readonly HashSet<Task> _running = [];
    private Exception? _fault;

    /// <summary>The first exception that escaped a task (a bug: tests assert it stays null).</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    public void Start(Func<Task> work)
    {
        Task task;
        try
        {
            task = work();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        lock (_running)
        {
            _running.Add(task);
        }

        task.ContinueWith(static (ended, self) => ((TaskSet)self!).Ended(ended), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every task started, including those started meanwhile, has ended. Never throws.</summary>
    public async Task WhenAllAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_running)
            {
                running = [.. _running.Where(static t => !t.IsCompleted)];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Ended(Task task)
    {
        if (task.Exception is { } error)
        {
            Interlocked.CompareExchange(ref _fault, error.InnerException ?? error, null);
        }

        lock (_running)
        {
            _running.Remove(task);
        }
    }
}
