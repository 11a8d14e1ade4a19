using Filix.Testing.Postgres;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>
/// Sequences of random YAML edits applied to populated databases, a SQLite file and the Postgres upstream at once
/// (issue 10, "Done means"). After each step either the build refuses the edit at the right YAML line (and records
/// nothing), or the migration is refused by a data check before anything changes (naming table and column), or it
/// applies and both databases equal fresh ones made from the new YAML, holding every row as the edit promises.
/// Seeded: every failure names its seed; <c>FILIX_RANDOM_SEED=n</c> replays one sequence (or <c>=a-b</c> a range; with
/// <c>FILIX_RANDOM_STEPS</c> steps, 8 by default); <c>FILIX_RANDOM_AVOID</c> leaves edit kinds out (see
/// <see cref="RandomEdits"/>) to look past a known defect. Each sequence stops at its first failure, which names the
/// seed, the step's edits, the YAML before and after, the rows before, the migration's SQL and Filix's answer.
/// The expectations come from the harness's own models (<see cref="RSchema"/>: ids say what an edit meant;
/// <see cref="RowModel"/>: what each row must become; <see cref="Values"/>: what a type change promises), never
/// from Filix's differ. Views and triggers are not generated (the schema language has none).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class RandomizedMigrationTests(PostgresFixture postgres)
{
    private const int Sequences = 20;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        if (Environment.GetEnvironmentVariable("FILIX_RANDOM_SEED") is { Length: > 0 } replay)
        {
            // One seed, or a range "first-last" to explore beyond the fixed set.
            var bounds = replay.Split('-').Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            foreach (var seed in Enumerable.Range(bounds[0], bounds[^1] - bounds[0] + 1))
            {
                data.Add(seed);
            }

            return data;
        }

        foreach (var seed in Enumerable.Range(1, Sequences))
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_edits_on_populated_databases_apply_as_promised_or_are_refused_before_anything_changes(int seed)
    {
        var steps = int.TryParse(Environment.GetEnvironmentVariable("FILIX_RANDOM_STEPS"), out var n) ? n : 8;
        await using var sequence = await MigrationSequence.StartAsync(seed, postgres);
        for (var step = 1; step <= steps; step++)
        {
            await sequence.StepAsync(step);
        }
    }
}
