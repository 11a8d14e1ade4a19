using System.Diagnostics;
using Filix.Migrations.Tool;
using Filix.Runtime;
using Filix.Testing;

namespace Filix.Migrations.Tests;

/// <summary>
/// A temporary project: a schema folder holding one version of the test domain at a time and the history folder
/// the build would write. <see cref="Record"/> runs what the build runs; <see cref="Schema"/> is what the generated
/// code would hand the runtime (DDL, hash and the embedded migrations).
/// </summary>
internal sealed class TestHistory : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("migrations");

    public TestHistory() => Directory.CreateDirectory(SchemaDir);

    public string Root => _folder.Path;

    public string SchemaDir => Path.Combine(Root, "schema");

    public string HistoryDir => Path.Combine(SchemaDir, "migrations");

    public string SchemaFile => Path.Combine(SchemaDir, "library.filix.yaml");

    public string DatabasePath(string name = "library.db") => Path.Combine(Root, name);

    public static string Version(int version) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", $"v{version}.filix.yaml"));

    /// <summary>Puts <paramref name="yaml"/> in place and records its migration, as a build would.</summary>
    public RecordResult Record(string yaml)
    {
        File.WriteAllText(SchemaFile, yaml);
        return MigrationRecorder.Record(SchemaFile, HistoryDir);
    }

    /// <summary>Records version <paramref name="version"/>, failing the test on any diagnostic.</summary>
    public DatabaseSchema RecordVersion(int version)
    {
        var result = Record(Version(version));
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        return Schema();
    }

    /// <summary>The schema the generated code would carry for the current YAML and history.</summary>
    public DatabaseSchema Schema(bool withMigrations = true) => RuntimeSchema.Load(SchemaFile, HistoryDir, withMigrations);

    /// <summary>Runs the build's tool (<c>filix-migrations</c>) on this project as a child process, as MSBuild does.</summary>
    public (int ExitCode, string Output) RunTool(bool check = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(MigrationRecorder).Assembly.Location, "--schema", SchemaDir, "--history", HistoryDir })
        {
            start.ArgumentList.Add(arg);
        }

        if (check)
        {
            start.ArgumentList.Add("--check");
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + error.GetAwaiter().GetResult();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    public string MigrationFilePath(string stem, string suffix) => Path.Combine(HistoryDir, "library", stem + suffix);

    public void Dispose()
    {
        // Pooled connections would keep the database files open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
