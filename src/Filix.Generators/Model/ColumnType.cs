namespace Filix.Generators.Model;

/// <summary>The portable column types of the schema language. Each dialect maps every one (see Sql/*Dialect.cs).</summary>
public enum ColumnType
{
    Text,
    Integer,
    Real,
    Boolean,
    Blob,
    Timestamp,
    Date,
    Json,
    Uuid,
}

/// <summary>Where a table's rows may go: <c>sync</c> always shared, <c>local</c> never leaves the machine,
/// <c>optional</c> shared when the user enables it.</summary>
public enum SyncMode
{
    Sync,
    Local,
    Optional,
}
