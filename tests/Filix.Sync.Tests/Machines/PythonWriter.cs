using System.Diagnostics;
using System.Text.Json;

namespace Filix.Sync.Tests.Machines;

/// <summary>
/// Writes through Python's own <c>sqlite3</c> module in a child process, the way the team's scripts
/// (build_entities.py, ingest jobs) write the files: its own connection, its own transactions, upserts as
/// <c>INSERT OR REPLACE</c>. Each write is one transaction; right after it, still inside, the script reads the
/// capture entry and the row, which the harness checks like any other write.
/// </summary>
internal static class PythonWriter
{
    private const string Script = """
        import json, sqlite3, sys
        ops = json.load(open(sys.argv[1]))
        out = []
        cons = {}
        for op in ops:
            con = cons.get(op["db"])
            if con is None:
                con = cons[op["db"]] = sqlite3.connect(op["db"], timeout=60, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute(op["sql"], op["values"])
            if cur.rowcount != 1:
                raise SystemExit("%s changed %d rows" % (op["sql"], cur.rowcount))
            reads = []
            for key in op["reads"]:
                mark = con.execute('SELECT pk, hlc, origin, deleted FROM (%s) WHERE tbl = ? AND pk = json_array(%s)' % (op["current"], ", ".join("?" * len(key))), [op["table"]] + key).fetchone()
                row = con.execute(op["select"], key).fetchone()
                reads.append({"mark": mark, "row": row})
            con.execute("COMMIT")
            out.append(reads)
        print(json.dumps(out))
        """;

    private static readonly Lazy<string> ScriptFile = new(() =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"filix-sync-writer-{Environment.ProcessId}.py");
        File.WriteAllText(file, Script);
        return file;
    });

    public static async Task<List<Written>> WriteAsync(Machine machine, IReadOnlyList<Op> ops)
    {
        var payload = ops.Select(op =>
        {
            var (sql, values) = Writers.Statement(op, i => "?" + (i + 1), orReplace: true); // numbered: SET comes before WHERE
            var table = op.Table;
            var where = string.Join(" AND ", table.KeyColumns.Select(k => Filix.Runtime.SqlNames.Quote(k.Name) + " = ?"));
            var select = $"SELECT {string.Join(", ", table.Columns.Select(c => Filix.Runtime.SqlNames.Quote(c.Name)))} FROM {Filix.Runtime.SqlNames.Quote(table.Name)} WHERE {where}";
            return new { db = machine[table.Domain.Name].Database.Path, table = table.Name, sql, values, reads = op.Touched.Select(t => t.Key).ToArray(), select, current = Filix.Runtime.Sync.Local.CaptureSql.Current };
        }).ToArray();
        var input = Path.Combine(machine.Folder, $"ops-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(payload));
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ScriptFile.Value);
        start.ArgumentList.Add(input);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(input);
        Assert.True(process.ExitCode == 0, $"{machine}: the Python writer failed ({process.ExitCode}): {await stderr}\nops: {string.Join("; ", ops)}");
        using var json = JsonDocument.Parse(await stdout);
        var results = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(ops.Count, results.Length);
        var written = new List<Written>();
        for (var i = 0; i < ops.Count; i++)
        {
            var reads = results[i].EnumerateArray().ToArray();
            var touched = ops[i].Touched;
            Assert.Equal(touched.Count, reads.Length);
            for (var t = 0; t < reads.Length; t++)
            {
                var mark = reads[t].GetProperty("mark");
                Assert.True(mark.ValueKind == JsonValueKind.Array, $"{machine}: {ops[i]} (Python) left no capture entry: the write was not captured.");
                var m = mark.EnumerateArray().Select(StoredValues.FromJson).ToArray();
                Assert.True(m is [string, long, _, long], $"{machine}: {ops[i]} (Python): unexpected capture entry {mark.GetRawText()}");
                var row = reads[t].GetProperty("row");
                var stored = row.ValueKind == JsonValueKind.Null ? null : row.EnumerateArray().Select(StoredValues.FromJson).ToArray();
                written.Add(Written.From(machine, ops[i], touched[t].As, (string)m[0]!, (long)m[1]!, m[2] as string, (long)m[3]! != 0, stored));
            }
        }

        return written;
    }
}
