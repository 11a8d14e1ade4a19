using Filix.Runtime.Tests.Cycles;

namespace Filix.Runtime.Tests.Sqlite;

/// <summary>The generated schema emits its DDL once (the statements of <see cref="DatabaseSchema"/>); the scripts
/// tools print are joined from them.</summary>
public sealed class SchemaScriptTests
{
    [Fact]
    public void The_sqlite_script_is_the_statements_each_ended_by_a_semicolon()
    {
        var statements = CyclesSchema.Definition.SqliteDdl;

        Assert.Equal(3, statements.Count);
        Assert.Equal(string.Join(";\n\n", statements) + ";", CyclesSchema.SqliteDdl);
        Assert.StartsWith("CREATE TABLE \"authors\"", CyclesSchema.SqliteDdl, StringComparison.Ordinal);
    }

    [Fact]
    public void A_domain_of_local_tables_only_has_a_postgres_script_that_says_so()
    {
        Assert.Empty(CyclesSchema.Definition.PostgresDdl);
        Assert.Equal("-- no shared tables: every table of this domain is local", CyclesSchema.PostgresDdl);
        Assert.Equal(string.Join(";\n\n", KitchenSinkSchema.Definition.PostgresDdl) + ";", KitchenSinkSchema.PostgresDdl);
    }
}
