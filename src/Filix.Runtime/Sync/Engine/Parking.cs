using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Runtime.Sync.Engine;

/// <summary>
/// Rows that cannot apply never wedge the sync: they are parked (<c>_filix_parked</c>, with the reason in words),
/// the rest of the batch goes on, and every later sync retries them until they apply or a newer version supersedes
/// them. The policies, by reason:
/// <list type="bullet">
/// <item><b>missing parent</b> (a row arrives before the row it refers to: self-reference, table order, a reference
/// cycle, or a parent deleted elsewhere): parked and retried; it resolves when the parent arrives.</item>
/// <item><b>still referenced</b> (a parent deleted on one machine while another added a child under it): a child
/// keeps its parent alive. Pulled: the delete is refused here, and the parent is re-versioned as a local edit newer
/// than the delete, so the next push brings it back upstream. Pushed: upstream refuses the delete, and the next pull
/// restores upstream's row here. Either order converges to parent and child alive everywhere; nothing is dropped.</item>
/// <item><b>unique collision</b> (two machines insert different rows with the same unique value, e.g. a DOI): the
/// version that reached upstream first stays; the other is parked on its machine, listed by <c>filix status</c> with
/// the colliding key until someone changes or deletes one of them (a human decision: merging two papers is not the
/// sync's to make).</item>
/// </list>
/// </summary>
internal static class Parking
{
    public const string Push = "push";
    public const string Pull = "pull";

    public const string MissingParent = "missing parent";
    public const string Referenced = "still referenced";
    public const string Unique = "unique collision";

    /// <summary>The reason for a local constraint failure, or null when the error is not a row's fault.</summary>
    public static string? LocalReason(SyncTable table, SqliteException ex, bool delete) => ex.SqliteExtendedErrorCode switch
    {
        787 when delete => $"{Referenced}: deleted elsewhere, but rows here still refer to it (a child keeps its parent alive: it is re-versioned here and pushed back)",
        787 => $"{MissingParent}: a row it refers to ({string.Join(", ", table.Parents.DefaultIfEmpty(table.Name))}) is not here yet; retried on every pull",
        2067 or 1555 => $"{Unique}: {ex.Message.Replace("SQLite Error 19: ", string.Empty, StringComparison.Ordinal).TrimEnd('.')} here (another row holds the value); change or delete one of them",
        _ => null,
    };

    public static void Park(SqliteSession session, string table, string pk, string direction, long hlc, string? origin, string reason, string since)
    {
        var park = session.Command(LocalSql.Park, 7);
        park.Parameters[0].Value = table;
        park.Parameters[1].Value = pk;
        park.Parameters[2].Value = direction;
        park.Parameters[3].Value = hlc;
        park.Parameters[4].Value = (object?)origin ?? DBNull.Value;
        park.Parameters[5].Value = reason;
        park.Parameters[6].Value = since;
        park.ExecuteNonQuery();
    }

    public static void Unpark(SqliteSession session, string table, string pk, string direction)
    {
        var unpark = session.Command(LocalSql.Unpark, 3);
        unpark.Parameters[0].Value = table;
        unpark.Parameters[1].Value = pk;
        unpark.Parameters[2].Value = direction;
        unpark.ExecuteNonQuery();
    }

    /// <summary>The keys of <paramref name="table"/> parked in <paramref name="direction"/>, with their reasons.</summary>
    public static Dictionary<string, string> Read(SqliteSession session, string table, string direction)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = session.Connection.CreateCommand();
        command.CommandText = "SELECT \"pk\", \"reason\" FROM \"_filix_parked\" WHERE \"tbl\" = $t AND \"direction\" = $d";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$d", direction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys[reader.GetString(0)] = reader.GetString(1);
        }

        return keys;
    }

    /// <summary>
    /// Pulled deletes still refused after the pull's retry (children here refer to the parent): re-version the parent
    /// as a local edit newer than the refused delete, so the next push makes it live upstream again.
    /// </summary>
    public static int KeepReferencedParents(SqliteSession session, string table)
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText =
            "UPDATE \"_filix_rows\" SET \"origin\" = NULL, \"deleted\" = 0, \"hlc\" = max(" + Local.CaptureSql.NextVersion + ", " +
            "(SELECT p.\"hlc\" + 1 FROM \"_filix_parked\" p WHERE p.\"tbl\" = \"_filix_rows\".\"tbl\" AND p.\"pk\" = \"_filix_rows\".\"pk\" AND p.\"direction\" = 'pull')) " +
            "WHERE \"tbl\" = $t AND \"pk\" IN (SELECT \"pk\" FROM \"_filix_parked\" WHERE \"tbl\" = $t AND \"direction\" = 'pull' AND \"reason\" LIKE '" + Referenced + "%')";
        command.Parameters.AddWithValue("$t", table);
        var changed = command.ExecuteNonQuery();
        command.CommandText = "DELETE FROM \"_filix_parked\" WHERE \"tbl\" = $t AND \"direction\" = 'pull' AND \"reason\" LIKE '" + Referenced + "%'";
        command.ExecuteNonQuery();
        return changed;
    }
}
