using Filix.Runtime.Migrations;

namespace Filix.Runtime.Backups;

/// <summary>
/// A backup before every migration that changes an existing database: a migration rebuilds tables, and the backup
/// is the way back to the data as it was (restore it and open it with the previous build). Only when there is
/// something to lose: pending migrations on a file that already has applied (or adopted) ones. A new file, or a
/// file with nothing pending, costs nothing. The cost when it runs is one backup (about the database's size in
/// temporary disk space, then the compressed file), taken before the migration's write lock.
/// If the backup fails (a full disk, a damaged database) the migration does not run: the FilixException says why
/// and how to go on. <c>FILIX_MIGRATION_BACKUP=off</c> migrates without one, for a database too large to copy.
/// </summary>
internal static class MigrationBackup
{
    public const string Variable = "FILIX_MIGRATION_BACKUP";

    public static void BeforeMigrating(string path, MigrationReport look)
    {
        if (look.Pending.Count == 0 || (look.Applied.Count == 0 && look.Adopted.Count == 0) || !File.Exists(path) ||
            string.Equals(Environment.GetEnvironmentVariable(Variable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            FilixBackup.Take(path, new BackupOptions { Reason = RetentionPolicy.MigrationReason });
        }
        catch (FilixException ex)
        {
            throw new FilixException(
                $"Not migrating '{path}' ({string.Join(", ", look.Pending)} pending): the backup taken before every migration failed. {ex.Message} " +
                $"The database is unchanged. Fix that and open it again, or set {Variable}=off to migrate without a backup.",
                path, ex);
        }
    }
}
