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
    /// by every column): 0 means the tables are equal row for row.</summary>
    public static long Differences(string fileA, string fileB, DatabaseSchema schema)
    {
        using var connection = new SqliteConnection($"Data Source={fileA};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using (var attach = connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $b AS b";
            attach.Parameters.AddWithValue("$b", new SqliteConnectionStringBuilder { DataSource = fileB, Mode = SqliteOpenMode.ReadOnly }.DataSource);
            attach.ExecuteNonQuery();
        }

        long differences = 0;
        foreach (var table in schema.SyncTables)
        {
            var name = Sql.Quote(table.Name);
            var columns = string.Join(", ", table.Columns.Select(Sql.Quote));
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT (SELECT count(*) FROM (SELECT {columns} FROM main.{name} EXCEPT SELECT {columns} FROM b.{name}))" +
                $" + (SELECT count(*) FROM (SELECT {columns} FROM b.{name} EXCEPT SELECT {columns} FROM main.{name}))";
            differences += (long)command.ExecuteScalar()!;
        }

        return differences;
    }
}
