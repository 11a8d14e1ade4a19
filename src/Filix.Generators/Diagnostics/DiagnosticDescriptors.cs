using Microsoft.CodeAnalysis;

namespace Filix.Generators.Diagnostics;

/// <summary>
/// Every diagnostic Filix reports, in one place. Ids are stable and never reused: FLX00xx are schema (YAML)
/// errors, FLX01xx are reserved for migration lint. Each message says what is wrong and what to do.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string SchemaCategory = "Filix.Schema";

    public static readonly DiagnosticDescriptor MalformedYaml = Error(
        "FLX0001", "Malformed YAML", "The schema file is not valid YAML: {0}. Fix the YAML syntax at this position.");

    public static readonly DiagnosticDescriptor UnknownKey = Error(
        "FLX0002", "Unknown key", "Unknown key '{0}' in {1}{2}. Allowed keys: {3}.");

    public static readonly DiagnosticDescriptor UnknownType = Error(
        "FLX0003", "Unknown column type", "Column '{0}' has unknown type '{1}'{2}. Use one of: {3}.");

    public static readonly DiagnosticDescriptor NoPrimaryKey = Error(
        "FLX0004", "Table has no primary key",
        "Table '{0}' has no primary key. Mark a column with 'primary_key: true' or list the key columns in 'primary_key: [a, b]'.");

    public static readonly DiagnosticDescriptor DuplicateTable = Error(
        "FLX0005", "Duplicate table", "Table '{0}' is declared twice in domain '{1}' (first at line {2}). Rename or remove one of them.");

    public static readonly DiagnosticDescriptor DuplicateColumn = Error(
        "FLX0006", "Duplicate column",
        "Column '{0}' in table '{1}' clashes with column '{2}' (line {3}): {4}. Rename one of them.");

    public static readonly DiagnosticDescriptor UnknownIndexColumn = Error(
        "FLX0007", "Unknown column in key or index",
        "{0} of table '{1}' names column '{2}', which the table does not declare{3}. Declared columns: {4}.");

    public static readonly DiagnosticDescriptor UnknownReference = Error(
        "FLX0008", "Reference to an unknown table or column",
        "Column '{0}' references '{1}', but {2}. References take the form 'table.column' and must name a declared primary key or unique column.");

    public static readonly DiagnosticDescriptor InvalidIdentifier = Error(
        "FLX0009", "Invalid identifier",
        "'{0}' is not a valid {1} name. Use lower snake_case{2}. A name is a letter, then letters, digits or underscores, at most 63 characters{3}.");

    public static readonly DiagnosticDescriptor InvalidSyncTag = Error(
        "FLX0010", "Invalid sync tag", "Table '{0}' has sync tag '{1}'. Use 'sync' (always shared), 'local' (never leaves this machine) or 'optional' (shared when enabled).");

    public static readonly DiagnosticDescriptor InvalidDefault = Error(
        "FLX0011", "Default does not fit the column type", "Default '{0}' of column '{1}' does not fit type '{2}': {3}.");

    public static readonly DiagnosticDescriptor SharedReferencesLocal = Error(
        "FLX0012", "Shared table references a table that is shared less widely",
        "Table '{0}' ({1}) references table '{2}' ({3}): its rows would reach the upstream without the rows they point to. Make '{2}' {4}, make '{0}' {3}, or drop the reference.");

    public static readonly DiagnosticDescriptor MissingKey = Error(
        "FLX0013", "Required key missing", "{0} is missing the required key '{1}'. {2}");

    public static readonly DiagnosticDescriptor WrongNodeKind = Error(
        "FLX0014", "Wrong kind of YAML value", "'{0}' must be {1}, but it is {2}. {3}");

    public static readonly DiagnosticDescriptor DuplicateIndex = Error(
        "FLX0015", "Duplicate index", "{0}. Remove one of them{1}.");

    public static readonly DiagnosticDescriptor ConflictingPrimaryKey = Error(
        "FLX0016", "Primary key declared twice",
        "Table '{0}' declares its primary key both with 'primary_key: true' on column '{1}' and with a table-level 'primary_key' list. Keep one of them.");

    public static readonly DiagnosticDescriptor NullablePrimaryKey = Error(
        "FLX0017", "Nullable primary key column",
        "Column '{0}' of table '{1}' is part of the primary key and cannot be nullable. Remove 'nullable: true'.");

    public static readonly DiagnosticDescriptor ReferenceTypeMismatch = Error(
        "FLX0018", "Reference type mismatch",
        "Column '{0}' ({1}) references '{2}' ({3}): a reference must have the type of the column it points to. Change the type of '{0}' to '{3}'.");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        "FLX0019", "Invalid value", "'{0}' must be {1}, but it is '{2}'.");

    public static readonly DiagnosticDescriptor DuplicateKey = Error(
        "FLX0020", "Duplicate key", "Key '{0}' appears twice in {1} (first at line {2}). Remove one of them.");

    public static readonly DiagnosticDescriptor DuplicateDomain = Error(
        "FLX0021", "Duplicate domain", "Domain '{0}' is declared in two schema files ('{1}' and '{2}'). Each domain needs its own name.");

    public static readonly DiagnosticDescriptor GeneratedNameClash = Error(
        "FLX0022", "Generated C# name clashes",
        "Table '{0}' would generate the C# name '{1}' ({2}), which {3}. {4}");

    public static readonly DiagnosticDescriptor SharedBlobKey = Error(
        "FLX0023", "Shared table has a blob in its primary key",
        "Column '{0}' is a blob in the primary key of table '{1}' ({2}): sync identifies a row on every machine by its key as JSON (json_array), which cannot hold a blob, so no write to the table could be captured. " +
        "Use a text key (the hex or a hash of the bytes), or make '{1}' local.");

    // FLX01xx: migration lint and history. Each destructive kind has its own id; the fix is always either to keep
    // the element or to list it under 'allow_destructive:' (see docs/migrations.md).
    private const string Consent = "If the loss is intended, add '{0}' to the domain's 'allow_destructive:' list; otherwise";

    public static readonly DiagnosticDescriptor DropsTable = Error(
        "FLX0101", "Migration drops a table",
        "Table '{0}' is no longer in the schema: the next migration would drop it and every row in it. " + Consent + " restore the table, or give the new table 'renamed_from: {0}' if it was renamed.");

    public static readonly DiagnosticDescriptor DropsColumn = Error(
        "FLX0102", "Migration drops a column",
        "Column '{0}' is no longer in the schema: the next migration would drop it and its values. " + Consent + " restore the column, or give the new column 'renamed_from: {1}' if it was renamed.");

    public static readonly DiagnosticDescriptor NarrowsType = Error(
        "FLX0103", "Migration narrows a column type",
        "Column '{0}' changes from {1} to {2}, which not every stored value survives. " + Consent + " keep type {1} (or widen it, for example to text).");

    public static readonly DiagnosticDescriptor RequiredWithoutDefault = Error(
        "FLX0104", "Column becomes NOT NULL without a default",
        "Column '{0}' is NOT NULL without a default {1}: rows that have no value cannot be kept. " + Consent + " add 'default:' or 'nullable: true'.");

    public static readonly DiagnosticDescriptor StopsSharing = Error(
        "FLX0105", "Table stops being shared",
        "Table '{0}' changes from '{1}' to 'local': the next migration drops it from the Postgres upstream. " + Consent + " keep its sync tag.");

    public static readonly DiagnosticDescriptor UnsupportedConversion = Error(
        "FLX0106", "Column type change cannot be migrated",
        "Column '{0}' changes from {1} to {2}, which no migration can do safely: {3}. 'allow_destructive:' does not change this. Keep type {1}; or add a new {2} column beside it, fill it from your code, and then drop this one.");

    public static readonly DiagnosticDescriptor DropsReplacedTable = Error(
        "FLX0107", "Migration drops a table whose name a renamed table takes",
        "Table '{0}' as recorded is dropped with every row in it, and table '{1}' is renamed to '{0}' (renamed_from: {1}). " + Consent + " remove 'renamed_from: {1}' to keep the recorded '{0}'.");

    public static readonly DiagnosticDescriptor DropsReplacedColumn = Error(
        "FLX0108", "Migration drops a column whose name a renamed column takes",
        "Column '{0}' as recorded is dropped with its values, and column '{1}' of the same table is renamed to '{2}' (renamed_from: {1}). " + Consent + " remove 'renamed_from: {1}' to keep the recorded '{2}'.");

    public static readonly DiagnosticDescriptor MigrationEdited = Error(
        "FLX0110", "Recorded migration was edited",
        "Migration '{0}' no longer matches its checksum in {1} ({2}). Applied migrations are history: restore the file from version control (git checkout -- {3}), and change the YAML instead so the build records a new migration.");

    public static readonly DiagnosticDescriptor BrokenHistory = Error(
        "FLX0111", "Migration history is incomplete",
        "The migration history of domain '{0}' is incomplete: {1}. Restore the folder from version control; it is written only by the build.");

    public static readonly DiagnosticDescriptor MigrationNotRecorded = Error(
        "FLX0112", "Schema change has no recorded migration",
        "The schema of '{0}' changed but its migration {1} is not recorded. Build once without -p:FilixRecordMigrations=false (an ordinary 'dotnet build' records it in migrations/{0}/ beside the schema file) and commit that folder.");

    public static readonly DiagnosticDescriptor MigrationDoesNotApply = Error(
        "FLX0120", "Migration does not apply",
        "The next migration of '{0}' ({1}) was not recorded: applied to a scratch SQLite database at the previous migration, with rows, it failed: {2}. Nothing was written; change the YAML (or report the failure with it).");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, SchemaCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: "https://github.com/filix/filix/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant());
}
