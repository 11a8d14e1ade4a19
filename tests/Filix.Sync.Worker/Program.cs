using System.Globalization;
using Filix.Domains.Contacts;
using Filix.Domains.Entities;
using Filix.Domains.Files;
using Filix.Domains.Music;
using Filix.Domains.Papers;
using Filix.Domains.Storage;
using Filix.Domains.Transcripts;
using Filix.Runtime;
using Filix.Runtime.Sync;

// Usage: Filix.Sync.Worker <data folder> <machine id> <batch size> <enabled: comma-separated or -> <domain>...
// The upstream comes from FILIX_UPSTREAM, as for `filix sync`. For each domain, in order: prints "push <domain>",
// pushes, prints "pushed <domain> <rows>", then "pull <domain>", pulls, "pulled <domain> <rows>". Ends with "done"
// (exit 0); any failure prints "error <message>" and "detail <exception>" on one line each and exits 1.
var folder = args[0];
var options = new SyncOptions
{
    Upstream = Environment.GetEnvironmentVariable("FILIX_UPSTREAM") ?? throw new InvalidOperationException("FILIX_UPSTREAM is not set."),
    MachineId = args[1],
    BatchSize = int.Parse(args[2], CultureInfo.InvariantCulture),
    Enabled = args[3] == "-" ? new HashSet<string>(StringComparer.Ordinal) : args[3].Split(',').ToHashSet(StringComparer.Ordinal),
};
var schemas = new[]
{
    EntitiesSchema.Definition, PapersSchema.Definition, ContactsSchema.Definition, StorageSchema.Definition,
    TranscriptsSchema.Definition, MusicSchema.Definition, FilesSchema.Definition,
}.ToDictionary(s => s.Domain, StringComparer.Ordinal);
var open = new FilixOptions { ShareWriter = false, BusyTimeout = TimeSpan.FromSeconds(60) };

try
{
    foreach (var domain in args.Skip(4))
    {
        await using var database = await FilixDatabase.OpenAsync(Path.Combine(folder, schemas[domain].FileName), schemas[domain], open);
        Console.WriteLine($"push {domain}");
        var pushed = await FilixSync.PushAsync(database, options);
        Console.WriteLine($"pushed {domain} {pushed.Tables.Sum(t => t.Pushed)}");
        Console.WriteLine($"pull {domain}");
        var pulled = await FilixSync.PullAsync(database, options);
        Console.WriteLine($"pulled {domain} {pulled.Tables.Sum(t => t.Pulled)}");
    }

    Console.WriteLine("done");
    return 0;
}
catch (Exception ex)
{
    Console.WriteLine("error " + ex.Message.ReplaceLineEndings(" | "));
    Console.WriteLine("detail " + ex.ToString().ReplaceLineEndings(" | "));
    return 1;
}
