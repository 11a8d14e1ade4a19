using System.Diagnostics;
using Filix.Domains.Contacts;
using Filix.Domains.Entities;
using Filix.Domains.Papers;
using Filix.Domains.Storage;
using Filix.Domains.Transcripts;
using Filix.Runtime;
using Microsoft.Data.Sqlite;

namespace Filix.Sync.Bench;

/// <summary>The five domains whose tables are all <c>sync</c> (seed 000): what the benchmark moves. Music is
/// <c>optional</c> (not enabled here) and files <c>local</c>, so neither leaves a machine.</summary>
internal static class Domains
{
    public static IReadOnlyList<DatabaseSchema> Synced { get; } =
    [
        EntitiesSchema.Definition,
        PapersSchema.Definition,
        ContactsSchema.Definition,
        TranscriptsSchema.Definition,
        StorageSchema.Definition,
    ];

    public static string PathIn(string dataFolder, DatabaseSchema schema) => Path.Combine(dataFolder, schema.FileName);

    /// <summary>The repository root (holds Filix.Schema.sln), found from the build output upwards.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Filix.Schema.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Filix.Schema.sln above {AppContext.BaseDirectory}: run the benchmark from its build output in the repository.");
    }

    /// <summary>The Release build of the filix CLI (built with this project).</summary>
    public static string FilixDll()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "Filix.Cli", "bin", "Release", "net10.0", "filix.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: dotnet build bench/Filix.Sync.Bench -c Release builds it.");
    }

    /// <summary>Fills <paramref name="dataFolder"/> the way <c>./build/run.sh</c> does (<c>filix run</c>), at
    /// <paramref name="scale"/> times the seed's sizes.</summary>
    public static void Seed(string dataFolder, double scale)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { FilixDll(), "run", "--data", dataFolder, "--scale", scale.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"filix run --data {dataFolder} --scale {scale} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }

    /// <summary>Row count of every shared table of the domain in one SQLite file (a plain read connection).</summary>
    public static Dictionary<string, long> Counts(string file, DatabaseSchema schema)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        foreach (var table in schema.SyncTables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {Sql.Quote(table.Name)}";
            counts[table.Name] = (long)command.ExecuteScalar()!;
        }

        return counts;
    }

    /// <summary>Rows that differ between the same table of two SQLite files (each side's rows missing from the other,
    /// by every column): 0 means the tables are equal row for row. With <paramref name="jsonAsValue"/>, a column
    /// holding valid JSON is compared by its minified form (<c>json(x)</c>): the upstream's jsonb re-spaces JSON text
    /// (<c>["a","b"]</c> comes back as <c>["a", "b"]</c>), which is the same value in different bytes.</summary>
    public static long Differences(string fileA, string fileB, DatabaseSchema schema, bool jsonAsValue = false)
    {
        using var connection = new SqliteConnection($"Data Source={fileA};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using (var attach = connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $b AS b";
            attach.Parameters.AddWithValue("$b", fileB);
            attach.ExecuteNonQuery();
        }

        long differences = 0;
        foreach (var table in schema.SyncTables)
        {
            var name = Sql.Quote(table.Name);
            var columns = string.Join(", ", table.Columns.Select(c => jsonAsValue
                ? $"CASE WHEN typeof({Sql.Quote(c)}) = 'text' AND json_valid({Sql.Quote(c)}) THEN json({Sql.Quote(c)}) ELSE {Sql.Quote(c)} END"
                : Sql.Quote(c)));
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT (SELECT count(*) FROM (SELECT {columns} FROM main.{name} EXCEPT SELECT {columns} FROM b.{name}))" +
                $" + (SELECT count(*) FROM (SELECT {columns} FROM b.{name} EXCEPT SELECT {columns} FROM main.{name}))";
            differences += (long)command.ExecuteScalar()!;
        }

        return differences;
    }

    /// <summary>Checks B against A after a pull: throws when they differ as values; returns how many rows differ only
    /// in the bytes of their JSON text (reported beside the figures).</summary>
    public static long CheckEqual(string a, string b)
    {
        var values = Synced.Sum(s => Differences(PathIn(a, s), PathIn(b, s), s, jsonAsValue: true));
        if (values != 0)
        {
            throw new InvalidOperationException($"B ({b}) differs from A ({a}) in {values:N0} rows, even comparing JSON as values: the figures would be meaningless.");
        }

        return Synced.Sum(s => Differences(PathIn(a, s), PathIn(b, s), s));
    }
}
