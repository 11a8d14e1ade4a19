namespace Filix.Runtime.Sharing.Protocol;

/// <summary>
/// Client → owner: <c>[int32 id][string sql][int32 parameter count]</c>. A statement's SQL crosses the socket once
/// per connection, after which writes name it by <see cref="Id"/>: generated statements are 200+ characters and a
/// write's values are often fewer bytes. Ids are 0, 1, 2, ... in the order defined.
/// </summary>
internal readonly record struct StatementFrame(int Id, string Sql, int ParameterCount)
{
    public void Write(FrameWriter frames) => frames.Begin(FrameKind.Statement).Int32(Id).String(Sql).Int32(ParameterCount).End();

    public static StatementFrame Read(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        var statement = new StatementFrame(reader.Int32(), reader.String(), reader.Int32());
        reader.End();
        if (statement.ParameterCount < 0 || string.IsNullOrEmpty(statement.Sql))
        {
            throw new InvalidDataException($"Statement {statement.Id} has {statement.ParameterCount} parameters and {statement.Sql.Length} characters of SQL.");
        }

        return statement;
    }
}
