using Filix.Runtime.Sqlite;

namespace Filix.Runtime.Tests.Support;

/// <summary>A kitchen_sink database on a real file in its own temp folder; disposing closes it and deletes the folder.</summary>
internal sealed class SinkFile : IAsyncDisposable
{
    private SinkFile(TempDirectory folder, KitchenSinkDatabase database)
    {
        Folder = folder;
        Db = database;
    }

    public TempDirectory Folder { get; }

    public KitchenSinkDatabase Db { get; }

    public string Path => Db.Database.Path;

    public static async Task<SinkFile> OpenAsync(FilixOptions? options = null)
    {
        var folder = TempDirectory.Create("runtime");
        try
        {
            return new SinkFile(folder, await KitchenSinkDatabase.OpenInFolderAsync(folder.Path, options));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>A scalar read on a pooled read connection.</summary>
    public ValueTask<object?> ReadScalarAsync(string sql) => Db.Database.ReadAsync(static (session, sql) => session.Scalar(sql), sql);

    /// <summary>A scalar on the write connection, inside a write transaction.</summary>
    public Task<object?> WriteScalarAsync(string sql) => Db.Database.WriteAsync(static (session, sql) => session.Scalar(sql), sql);

    /// <summary>One text column of every row of <paramref name="sql"/>.</summary>
    public ValueTask<List<string>> ReadColumnAsync(string sql) => Db.Database.ReadAsync(static (SqliteSession session, string sql) =>
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }, sql);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Folder.Dispose();
    }
}
