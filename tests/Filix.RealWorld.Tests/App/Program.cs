using RealWorld;

// The app a new user writes over three public sample databases. One command per run, so a test can run each
// scenario as a child process and read what went wrong from the exit code and the output:
//   realworld migrations                                  the migrations built into this program, per domain
//   realworld roundtrip-sqlite   <domain> <folder>        a fresh SQLite file: write, read, look up, update, delete
//   realworld roundtrip-upstream <domain> <connstring>    migrate the Postgres upstream, upsert, scan, count, change
//   realworld seed-sqlite        <domain> <folder>        before the edit: the sample rows in a SQLite file
//   realworld seed-upstream      <domain> <connstring>    before the edit: the sample rows upstream
//   realworld check-evolved-sqlite   <domain> <folder>      after the edit: the file migrated in place, rows kept
//   realworld check-evolved-upstream <domain> <connstring>  after the edit: the upstream migrated, rows kept
//   realworld ddl-upstream       <domain> <connstring>    run the generated <Domain>Schema.PostgresDdl as it is
if (args is ["migrations"])
{
    foreach (var app in Apps.All)
    {
        Console.WriteLine($"{app.Schema.Domain}: {string.Join(' ', app.Schema.Migrations.Select(m => m.ToString()))}");
    }

    return 0;
}

if (args.Length < 3 || Apps.Find(args[1]) is not { } domain)
{
    Console.Error.WriteLine("usage: realworld <command> <chinook|northwind|sakila> <folder|connstring>");
    return 2;
}

try
{
    switch (args[0])
    {
        case "roundtrip-sqlite": await domain.SqliteRoundTripAsync(args[2]); break;
        case "roundtrip-upstream": await domain.UpstreamRoundTripAsync(args[2]); break;
        case "seed-sqlite": await domain.SeedSqliteAsync(args[2]); break;
        case "seed-upstream": await domain.SeedUpstreamAsync(args[2]); break;
        case "check-evolved-sqlite": await domain.CheckEvolvedSqliteAsync(args[2]); break;
        case "check-evolved-upstream": await domain.CheckEvolvedUpstreamAsync(args[2]); break;
        case "ddl-upstream": await Upstream.ApplyDdlAsync(args[2], domain.Schema); break;
        default: Console.Error.WriteLine($"unknown command '{args[0]}'"); return 2;
    }
}
catch (Exception ex)
{
    Console.Error.WriteLine($"FAILED {args[0]} {args[1]}: {ex}");
    return 1;
}

Console.WriteLine($"ok {args[0]} {args[1]}");
return 0;
