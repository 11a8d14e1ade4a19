using System.Globalization;

namespace Filix.Testing.Postgres;

/// <summary>Finds the PostgreSQL server binaries: <c>FILIX_PG_BIN</c>, else the highest version under
/// <c>/usr/lib/postgresql/*/bin</c> (Debian/Ubuntu), else <c>pg_config --bindir</c>.</summary>
internal static class PostgresBinaries
{
    private const string InstallHint =
        "Install the PostgreSQL 15 server (Debian/Ubuntu: 'apt-get install postgresql-15'), or set FILIX_PG_BIN to the folder holding initdb and pg_ctl.";

    public static string Find(string? configured)
    {
        var explicitFolder = configured ?? Environment.GetEnvironmentVariable("FILIX_PG_BIN");
        if (!string.IsNullOrEmpty(explicitFolder))
        {
            return HasServer(explicitFolder)
                ? explicitFolder
                : throw new InvalidOperationException($"No initdb/pg_ctl in '{explicitFolder}' (FILIX_PG_BIN or PostgresClusterOptions.BinFolder). {InstallHint}");
        }

        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => (Dir: dir, Version: double.TryParse(Path.GetFileName(dir), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => d.Version >= 0 && HasServer(Path.Combine(d.Dir, "bin")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
        if (versioned is not null)
        {
            return versioned;
        }

        var fromConfig = PgConfigBinDir();
        if (fromConfig is not null && HasServer(fromConfig))
        {
            return fromConfig;
        }

        throw new InvalidOperationException($"PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or via pg_config. {InstallHint}");
    }

    private static bool HasServer(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static string? PgConfigBinDir()
    {
        try
        {
            var result = ProcessRunner.Run("pg_config", ["--bindir"], TimeSpan.FromSeconds(10));
            return result.ExitCode == 0 ? result.Output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed either.
        }
    }
}
