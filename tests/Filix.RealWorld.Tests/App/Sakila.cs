using Filix.Runtime;
using Npgsql;
using RealWorld.Sakila;

namespace RealWorld;

/// <summary>Sakila: the foreign-key cycle store.manager_staff_id -> staff, staff.store_id -> store; forward
/// references (address -> city, customer -> store, payment -> rental); composite keys (film_actor, film_category);
/// a unique key over three columns (rental); a unique key in the cycle (store.manager_staff_id); json, blob, boolean,
/// timestamps with defaults; a local table (film_text); Sakila's own views (customer_list, film_list) and triggers
/// (ins_film, upd_film, del_film), added by hand with SQL as their user would. After the edit (Schemas/v2):
/// film.length renamed to length_minutes and the default rental_rate lowered (film rebuilt under the triggers and
/// the view film_list), customer.loyalty_points (default 0) and store.opened_on (date) added, a new index on
/// payment.payment_date.</summary>
internal sealed class SakilaApp : DomainApp<SakilaDatabase>
{
    private static readonly DateTimeOffset Stamp = new(2006, 2, 15, 4, 57, 20, TimeSpan.Zero);

    private static readonly byte[] Point = [0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x5E, 0xA8, 0x5A, 0x5E, 0x0E, 0x5C, 0x5C, 0xC0];

    private static readonly Language[] Languages =
    [
        new() { LanguageId = 1, Name = "English", LastUpdate = Stamp },
        new() { LanguageId = 2, Name = "Italian", LastUpdate = Stamp },
        new() { LanguageId = 3, Name = "Japanese", LastUpdate = Stamp },
    ];

    private static readonly Country[] Countries = [new() { CountryId = 1, CountryValue = "Afghanistan", LastUpdate = Stamp }, new() { CountryId = 2, CountryValue = "Canada", LastUpdate = Stamp }];

    private static readonly City[] Cities = [new() { CityId = 1, CityValue = "Kabul", CountryId = 1, LastUpdate = Stamp }, new() { CityId = 2, CityValue = "Lethbridge", CountryId = 2, LastUpdate = Stamp }];

    private static readonly Address[] Addresses =
    [
        new() { AddressId = 1, AddressValue = "47 MySakila Drive", District = "Alberta", CityId = 2, PostalCode = "", Phone = "", Location = Point, LastUpdate = Stamp },
        new() { AddressId = 2, AddressValue = "28 MySQL Boulevard", District = "QLD", CityId = 2, Phone = "", Location = Point, LastUpdate = Stamp },
        new() { AddressId = 3, AddressValue = "23 Workhaven Lane", Address2 = "", District = "Alberta", CityId = 2, Phone = "14033335568", Location = [], LastUpdate = Stamp },
        new() { AddressId = 4, AddressValue = "1411 Lillydale Drive", District = "QLD", CityId = 1, Phone = "6172235589", Location = [0x01], LastUpdate = Stamp },
    ];

    private static readonly Store[] Stores =
    [
        new() { StoreId = 1, ManagerStaffId = 1, AddressId = 1, LastUpdate = Stamp },
        new() { StoreId = 2, ManagerStaffId = 2, AddressId = 2, LastUpdate = Stamp },
    ];

    private static readonly Staff[] Staff =
    [
        new() { StaffId = 1, FirstName = "Mike", LastName = "Hillyer", AddressId = 3, Picture = [0x89, 0x50, 0x4E, 0x47], Email = "Mike.Hillyer@sakilastaff.com", StoreId = 1, Active = true, Username = "Mike", Password = "8cb2237d0679ca88db6464eac60da96345513964", LastUpdate = Stamp },
        new() { StaffId = 2, FirstName = "Jon", LastName = "Stephens", AddressId = 4, Picture = null, Email = null, StoreId = 2, Username = "Jon", Password = null, LastUpdate = Stamp },
    ];

    private static readonly Actor[] Actors =
    [
        new() { ActorId = 1, FirstName = "PENELOPE", LastName = "GUINESS", LastUpdate = Stamp },
        new() { ActorId = 2, FirstName = "NICK", LastName = "WAHLBERG", LastUpdate = Stamp },
        new() { ActorId = 3, FirstName = "ED", LastName = "CHASE", LastUpdate = Stamp },
    ];

    private static readonly Category[] Categories = [new() { CategoryId = 1, Name = "Action", LastUpdate = Stamp }, new() { CategoryId = 2, Name = "Animation", LastUpdate = Stamp }];

    private static readonly Film[] Films =
    [
        new() { FilmId = 1, Title = "ACADEMY DINOSAUR", Description = "A Epic Drama of a Feminist And a Mad Scientist who must Battle a Teacher in The Canadian Rockies", ReleaseYear = 2006, LanguageId = 1, RentalDuration = 6, RentalRate = 0.99, ReplacementCost = 20.99, Rating = "PG", SpecialFeatures = """["Deleted Scenes", "Behind the Scenes"]""", LastUpdate = Stamp,
#if EVOLVED
            LengthMinutes = 86 },
#else
            Length = 86 },
#endif
        new() { FilmId = 2, Title = "ACE GOLDFINGER", Description = "A Astounding Epistle of a Database Administrator And a Explorer who must Find a Car in Ancient China", ReleaseYear = 2006, LanguageId = 1, OriginalLanguageId = 3, RentalDuration = 3, RentalRate = 4.99, ReplacementCost = 12.99, Rating = "G", SpecialFeatures = """["Trailers"]""", LastUpdate = Stamp,
#if EVOLVED
            LengthMinutes = 48 },
#else
            Length = 48 },
#endif
        new() { FilmId = 3, Title = "ADAPTATION HOLES", LanguageId = 2, RentalDuration = 3, RentalRate = 4.99, Rating = null, LastUpdate = Stamp },
    ];

    private static readonly FilmActor[] FilmActors =
    [
        new() { ActorId = 1, FilmId = 1, LastUpdate = Stamp },
        new() { ActorId = 2, FilmId = 1, LastUpdate = Stamp },
        new() { ActorId = 2, FilmId = 3, LastUpdate = Stamp },
        new() { ActorId = 3, FilmId = 2, LastUpdate = Stamp },
    ];

    private static readonly FilmCategory[] FilmCategories =
    [
        new() { FilmId = 1, CategoryId = 2, LastUpdate = Stamp },
        new() { FilmId = 2, CategoryId = 1, LastUpdate = Stamp },
        new() { FilmId = 3, CategoryId = 2, LastUpdate = Stamp },
    ];

    private static readonly FilmText[] FilmTexts =
    [
        new() { FilmId = 1, Title = "ACADEMY DINOSAUR", Description = "A Epic Drama of a Feminist And a Mad Scientist" },
        new() { FilmId = 2, Title = "ACE GOLDFINGER", Description = null },
    ];

    /// <summary>Sakila's views and film_text triggers (sakila-schema.sql), in SQLite's dialect: CONCAT as ||, IF as
    /// CASE, MySQL's IF inside a trigger as a WHEN clause.</summary>
    private static readonly string[] UserObjects =
    [
        """
        CREATE VIEW customer_list AS
        SELECT cu.customer_id AS ID, cu.first_name || ' ' || cu.last_name AS name, a.address AS address, a.postal_code AS "zip code",
               a.phone AS phone, city.city AS city, country.country AS country, CASE WHEN cu.active THEN 'active' ELSE '' END AS notes, cu.store_id AS SID
        FROM customer AS cu JOIN address AS a ON cu.address_id = a.address_id JOIN city ON a.city_id = city.city_id
        JOIN country ON city.country_id = country.country_id
        """,
        """
        CREATE VIEW film_list AS
        SELECT film.film_id AS FID, film.title AS title, film.description AS description, category.name AS category, film.rental_rate AS price,
               film.length AS length, film.rating AS rating, group_concat(actor.first_name || ' ' || actor.last_name, ', ') AS actors
        FROM category LEFT JOIN film_category ON category.category_id = film_category.category_id LEFT JOIN film ON film_category.film_id = film.film_id
        JOIN film_actor ON film.film_id = film_actor.film_id JOIN actor ON film_actor.actor_id = actor.actor_id
        GROUP BY film.film_id, film.title, film.description, film.rental_rate, film.length, film.rating, category.name
        """,
        """
        CREATE TRIGGER ins_film AFTER INSERT ON film BEGIN
            INSERT INTO film_text (film_id, title, description) VALUES (new.film_id, new.title, new.description);
        END
        """,
        """
        CREATE TRIGGER upd_film AFTER UPDATE ON film
        WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
            UPDATE film_text SET title = new.title, description = new.description, film_id = new.film_id WHERE film_id = old.film_id;
        END
        """,
        """
        CREATE TRIGGER del_film AFTER DELETE ON film BEGIN
            DELETE FROM film_text WHERE film_id = old.film_id;
        END
        """,
    ];

    private static readonly Inventory[] Inventories =
    [
        new() { InventoryId = 1, FilmId = 1, StoreId = 1, LastUpdate = Stamp },
        new() { InventoryId = 2, FilmId = 1, StoreId = 2, LastUpdate = Stamp },
        new() { InventoryId = 3, FilmId = 2, StoreId = 2, LastUpdate = Stamp },
    ];

    private static readonly Customer[] Customers =
    [
        new() { CustomerId = 1, StoreId = 1, FirstName = "MARY", LastName = "SMITH", Email = "MARY.SMITH@sakilacustomer.org", AddressId = 3, Active = true, CreateDate = new DateTimeOffset(2006, 2, 14, 22, 4, 36, TimeSpan.Zero), LastUpdate = Stamp },
        new() { CustomerId = 2, StoreId = 2, FirstName = "PATRICIA", LastName = "JOHNSON", Email = null, AddressId = 4, Active = false, CreateDate = new DateTimeOffset(2006, 2, 14, 22, 4, 36, TimeSpan.Zero), LastUpdate = null },
        new() { CustomerId = 3, StoreId = 1, FirstName = "LINDA", LastName = "WILLIAMS", Email = null, AddressId = 3, CreateDate = new DateTimeOffset(2006, 2, 14, 22, 4, 36, TimeSpan.Zero), LastUpdate = Stamp },
    ];

    private static readonly Rental[] Rentals =
    [
        new() { RentalId = 1, RentalDate = new DateTimeOffset(2005, 5, 24, 22, 53, 30, TimeSpan.Zero), InventoryId = 1, CustomerId = 1, ReturnDate = new DateTimeOffset(2005, 5, 26, 22, 4, 30, TimeSpan.Zero), StaffId = 1, LastUpdate = Stamp },
        new() { RentalId = 2, RentalDate = new DateTimeOffset(2005, 5, 24, 22, 54, 33, TimeSpan.Zero).AddTicks(10), InventoryId = 3, CustomerId = 2, ReturnDate = null, StaffId = 2, LastUpdate = Stamp },
    ];

    private static readonly Payment[] Payments =
    [
        new() { PaymentId = 1, CustomerId = 1, StaffId = 1, RentalId = 1, Amount = 2.99, PaymentDate = new DateTimeOffset(2005, 5, 25, 11, 30, 37, TimeSpan.Zero), LastUpdate = Stamp },
        new() { PaymentId = 2, CustomerId = 2, StaffId = 2, RentalId = null, Amount = 0.99, PaymentDate = new DateTimeOffset(2005, 5, 28, 10, 35, 23, TimeSpan.Zero), LastUpdate = null },
    ];

    public override DatabaseSchema Schema => SakilaSchema.Definition;

    protected override Task<SakilaDatabase> OpenAsync(string folder) => SakilaDatabase.OpenInFolderAsync(folder);

    protected override FilixDatabase Raw(SakilaDatabase db) => db.Database;

    protected override async Task WriteAsync(SakilaDatabase db)
    {
        await db.Language.InsertManyAsync(Languages);
        await db.Country.InsertManyAsync(Countries);
        await db.City.InsertManyAsync(Cities);
        await db.Address.InsertManyAsync(Addresses);

        // The cycle: each store and its manager refer to each other (both keys NOT NULL), so they are written as one
        // unit, whose keys SQLite checks at its end.
        Check.Equal(new[] { 1, 1, 1, 1 }, await db.WriteTogetherAsync([.. Stores.Select(db.Store.InsertStatement), .. Staff.Select(db.Staff.InsertStatement)]), "the stores and their managers written as one unit");
        await db.Actor.InsertManyAsync(Actors);
        await db.Category.InsertManyAsync(Categories);
        await db.Film.InsertManyAsync(Films);
        await db.FilmActor.InsertManyAsync(FilmActors);
        await db.FilmCategory.InsertManyAsync(FilmCategories);
        await db.FilmText.InsertManyAsync(FilmTexts);
        await db.Inventory.InsertManyAsync(Inventories);
        await db.Customer.InsertManyAsync(Customers);
        await db.Rental.InsertManyAsync(Rentals);
        await db.Payment.InsertManyAsync(Payments);
    }

    protected override async Task CheckAsync(SakilaDatabase db)
    {
        await Check.RowsAsync("actor", Actors, db.Actor.ScanAsync());
        await Check.RowsAsync("address", Addresses, db.Address.ScanAsync());
        await Check.RowsAsync("category", Categories, db.Category.ScanAsync());
        await Check.RowsAsync("city", Cities, db.City.ScanAsync());
        await Check.RowsAsync("country", Countries, db.Country.ScanAsync());
        await Check.RowsAsync("customer", Customers, db.Customer.ScanAsync());
        await Check.RowsAsync("film", Films, db.Film.ScanAsync());
        await Check.RowsAsync("film_actor", FilmActors, db.FilmActor.ScanAsync());
        await Check.RowsAsync("film_category", FilmCategories, db.FilmCategory.ScanAsync());
        await Check.RowsAsync("film_text", FilmTexts, db.FilmText.ScanAsync());
        await Check.RowsAsync("inventory", Inventories, db.Inventory.ScanAsync());
        await Check.RowsAsync("language", Languages, db.Language.ScanAsync());
        await Check.RowsAsync("payment", Payments, db.Payment.ScanAsync());
        await Check.RowsAsync("rental", Rentals, db.Rental.ScanAsync());
        await Check.RowsAsync("staff", Staff, db.Staff.ScanAsync());
        await Check.RowsAsync("store", Stores, db.Store.ScanAsync());
        Check.Equal(3L, await db.Film.CountAsync(), "films counted");
    }

    protected override async Task ExerciseAsync(SakilaDatabase db)
    {
        Check.Equal(Films[0], await db.Film.GetAsync(1), "film 1 (json special_features)");
        Check.Equal(Staff[0], await db.Staff.GetAsync(1), "staff 1 (blob picture)");
        Check.Equal(Addresses[2], await db.Address.GetAsync(3), "address 3 (empty blob)");
        Check.Equal(Stores[1], await db.Store.GetByManagerStaffIdAsync(2), "the store managed by staff 2");
        Check.Equal(Rentals[1], await db.Rental.GetByRentalDateAndInventoryIdAndCustomerIdAsync(Rentals[1].RentalDate, 3, 2), "rental by its unique key");
        Check.Equal(FilmActors[2], await db.FilmActor.GetAsync(2, 3), "film_actor (2, 3)");

        Check.Rows("films of actor 2", FilmActors[1..3], await db.FilmActor.FindByActorIdAsync(2));
        Check.Rows("actors of film 1", FilmActors[..2], await db.FilmActor.FindByFilmIdAsync(1));
        Check.Rows("inventory of film 1 in store 2", [Inventories[1]], await db.Inventory.FindByStoreIdAndFilmIdAsync(2, 1));
        Check.Rows("films titled ACE GOLDFINGER", [Films[1]], await db.Film.FindByTitleAsync("ACE GOLDFINGER"));
        Check.Rows("films in Japanese originally", [Films[1]], await db.Film.FindByOriginalLanguageIdAsync(3));
        Check.Rows("staff of store 1", [Staff[0]], await db.Staff.FindByStoreIdAsync(1));
        Check.Rows("customers named SMITH", [Customers[0]], await db.Customer.FindByLastNameAsync("SMITH"));

        var rerated = Films[2] with { Rating = "NC-17", SpecialFeatures = """{"commentary": true, "tracks": [1, 2]}""", RentalRate = 2.99, ReleaseYear = 2007 };
        Check.True(await db.Film.UpdateAsync(rerated), "film 3 updated");
        Check.Equal(rerated, await db.Film.GetAsync(3), "film 3 after the update");
        var retired = Staff[1] with { Active = false, Picture = [0xFF, 0x00], Password = "secret" };
        Check.True(await db.Staff.UpdateAsync(retired), "staff 2 updated");
        Check.Equal(retired, await db.Staff.GetAsync(2), "staff 2 after the update");
        await db.Actor.UpsertAsync(Actors[2] with { LastName = "CHASE-ADAMS" });
        Check.Equal("CHASE-ADAMS", (await db.Actor.GetAsync(3))?.LastName, "actor 3 after the upsert");
        Check.True(await db.Payment.DeleteAsync(2), "payment 2 deleted");
        Check.Equal(1L, await db.Payment.CountAsync(), "payments after the delete");
        await Check.ThrowsAsync(() => db.Store.DeleteAsync(2), "deleting store 2, which staff 2 works in");
        await Check.ThrowsAsync(() => db.Store.UpdateAsync(Stores[0] with { ManagerStaffId = 2 }), "a second store managed by staff 2");
        await CycleAsync(db);
        await Check.ThrowsAsync(() => db.Rental.InsertAsync(Rentals[1] with { RentalId = 9 }), "a rental repeating (rental_date, inventory_id, customer_id)");

#if EVOLVED
        var loyal = Customers[1] with { LoyaltyPoints = 250 };
        Check.True(await db.Customer.UpdateAsync(loyal), "customer 2's points");
        Check.Equal(loyal, await db.Customer.GetAsync(2), "customer 2 with points");
        var opened = Stores[0] with { OpenedOn = new DateOnly(2005, 5, 1) };
        Check.True(await db.Store.UpdateAsync(opened), "store 1's opening date");
        Check.Equal(opened, await db.Store.GetAsync(1), "store 1 with its opening date");
        await db.Database.WriteAsync(static (session, _) => session.Execute("INSERT INTO film (film_id, title, language_id) VALUES (101, 'DEFAULTED', 1)"), 0);
        Check.Equal<double?>(2.99, (await db.Film.GetAsync(101))?.RentalRate, "the new default rental_rate, filled in by SQLite");
        Check.True(await db.Film.DeleteAsync(101), "film 101 deleted");
        Check.Rows("payments at 2005-05-25 11:30:37", [Payments[0]], await db.Payment.FindByPaymentDateAsync(Payments[0].PaymentDate));
#endif
    }

    /// <summary>A third store and its manager: refused row by row, pointing at the unit; a unit that leaves a reference
    /// dangling fails alone (a write beside it is stored) and stores nothing; the whole cycle written and then removed
    /// as units.</summary>
    private static async Task CycleAsync(SakilaDatabase db)
    {
        var store = new Store { StoreId = 3, ManagerStaffId = 3, AddressId = 2, LastUpdate = Stamp };
        var manager = Staff[1] with { StaffId = 3, StoreId = 3, Username = "Ann" };
        var alone = await Check.ThrowsAsync(() => db.Store.InsertAsync(store), "store 3 before its manager exists");
        Check.True(alone.Message.Contains("WriteTogetherAsync", StringComparison.Ordinal), $"the refusal of store 3 alone points at the unit: {alone.Message}");

        var dangling = db.WriteTogetherAsync(db.Store.InsertStatement(store), db.Staff.InsertStatement(manager with { StoreId = 4 }));
        var beside = db.Actor.InsertAsync(new Actor { ActorId = 4, FirstName = "JENNIFER", LastName = "DAVIS", LastUpdate = Stamp });
        var refused = await Check.ThrowsAsync(() => dangling, "a unit whose manager works in a store that does not exist");
        await beside;
        foreach (var part in new[] { "'staff'", "(store_id)", "none of it was stored" })
        {
            Check.True(refused.Message.Contains(part, StringComparison.Ordinal), $"the refusal of the dangling unit names {part}: {refused.Message}");
        }

        Check.Equal(null, await db.Store.GetAsync(3), "store 3 after the refused unit");
        Check.Equal(null, await db.Staff.GetAsync(3), "staff 3 after the refused unit");
        Check.True(await db.Actor.DeleteAsync(4), "the actor written beside the refused unit was stored");

        await db.WriteTogetherAsync(db.Staff.InsertStatement(manager), db.Store.InsertStatement(store));
        Check.Equal(store, await db.Store.GetByManagerStaffIdAsync(3), "store 3, managed by staff 3");
        await Check.ThrowsAsync(() => db.Staff.DeleteAsync(3), "deleting staff 3, who manages store 3");
        Check.Equal(new[] { 1, 1 }, await db.WriteTogetherAsync(db.Store.DeleteStatement(3), db.Staff.DeleteStatement(3)), "store 3 and its manager deleted as one unit");
        Check.Equal(2L, await db.Store.CountAsync(), "stores after the unit's delete");
    }

    protected override async Task AddUserObjectsAsync(SakilaDatabase db)
    {
        foreach (var sql in UserObjects)
        {
            await db.Database.WriteAsync(static (session, sql) => session.Execute(sql), sql);
        }

        await CheckUserObjectsAsync(db);
    }

    protected override async Task CheckUserObjectsAsync(SakilaDatabase db)
    {
        Check.Equal("customer_list,del_film,film_list,ins_film,upd_film", await ScalarAsync(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger') AND substr(name, 1, 7) <> '_filix_' ORDER BY name)"), "Sakila's views and triggers (besides Filix's own _filix_ capture objects)");
        Check.Equal("MARY SMITH|Lethbridge|Canada|active", await ScalarAsync(db, "SELECT name || '|' || city || '|' || country || '|' || notes FROM customer_list WHERE ID = 1"), "customer_list of customer 1");
        Check.Equal(3L, await ScalarAsync(db, "SELECT count(*) FROM customer_list"), "customer_list rows");
        Check.Equal("86|2", await ScalarAsync(db, "SELECT length || '|' || (length(actors) - length(replace(actors, ',', '')) + 1) FROM film_list WHERE FID = 1"), "film_list of film 1 (its length, its number of actors)");
        Check.Equal(3L, await ScalarAsync(db, "SELECT count(*) FROM film_list"), "film_list rows");

        // The triggers keep film_text in step with film.
        var film = new Film { FilmId = 100, Title = "ZORRO ARK", Description = "A Intrepid Panorama", LanguageId = 1, RentalDuration = 3, RentalRate = 4.99, LastUpdate = Stamp };
        await db.Film.InsertAsync(film);
        Check.Equal(new FilmText { FilmId = 100, Title = "ZORRO ARK", Description = "A Intrepid Panorama" }, await db.FilmText.GetAsync(100), "film_text written by ins_film");
        await db.Film.UpdateAsync(film with { Title = "ZORRO ARK II" });
        Check.Equal("ZORRO ARK II", (await db.FilmText.GetAsync(100))?.Title, "film_text updated by upd_film");
        await db.Film.DeleteAsync(100);
        Check.Equal(null, await db.FilmText.GetAsync(100), "film_text deleted by del_film");
    }

    private static async Task<object?> ScalarAsync(SakilaDatabase db, string sql) =>
        await db.Database.ReadAsync(static (session, sql) => session.Scalar(sql), sql);

    protected override async Task UpstreamWriteAsync(NpgsqlConnection c)
    {
        // Declaration order (address before city, customer before store, staff after store) and the cycle written
        // whole: Postgres checks the deferred keys at COMMIT.
        await ActorUpstream.UpsertAsync(c, Actors);
        await AddressUpstream.UpsertAsync(c, Addresses);
        await CategoryUpstream.UpsertAsync(c, Categories);
        await CityUpstream.UpsertAsync(c, Cities);
        await CountryUpstream.UpsertAsync(c, Countries);
        await CustomerUpstream.UpsertAsync(c, Customers);
        await FilmUpstream.UpsertAsync(c, Films);
        await FilmActorUpstream.UpsertAsync(c, FilmActors);
        await FilmCategoryUpstream.UpsertAsync(c, FilmCategories);
        await InventoryUpstream.UpsertAsync(c, Inventories);
        await LanguageUpstream.UpsertAsync(c, Languages);
        await PaymentUpstream.UpsertAsync(c, Payments);
        await RentalUpstream.UpsertAsync(c, Rentals);
        await StaffUpstream.UpsertAsync(c, Staff);
        await StoreUpstream.UpsertAsync(c, Stores);
    }

    protected override async Task UpstreamCheckAsync(NpgsqlConnection c)
    {
        await Check.RowsAsync("actor upstream", Actors, ActorUpstream.ScanAsync(c));
        await Check.RowsAsync("address upstream", Addresses, AddressUpstream.ScanAsync(c));
        await Check.RowsAsync("category upstream", Categories, CategoryUpstream.ScanAsync(c));
        await Check.RowsAsync("city upstream", Cities, CityUpstream.ScanAsync(c));
        await Check.RowsAsync("country upstream", Countries, CountryUpstream.ScanAsync(c));
        await Check.RowsAsync("customer upstream", Customers, CustomerUpstream.ScanAsync(c));
        await Check.RowsAsync("film upstream", Films, FilmUpstream.ScanAsync(c));
        await Check.RowsAsync("film_actor upstream", FilmActors, FilmActorUpstream.ScanAsync(c));
        await Check.RowsAsync("film_category upstream", FilmCategories, FilmCategoryUpstream.ScanAsync(c));
        await Check.RowsAsync("inventory upstream", Inventories, InventoryUpstream.ScanAsync(c));
        await Check.RowsAsync("language upstream", Languages, LanguageUpstream.ScanAsync(c));
        await Check.RowsAsync("payment upstream", Payments, PaymentUpstream.ScanAsync(c));
        await Check.RowsAsync("rental upstream", Rentals, RentalUpstream.ScanAsync(c));
        await Check.RowsAsync("staff upstream", Staff, StaffUpstream.ScanAsync(c));
        await Check.RowsAsync("store upstream", Stores, StoreUpstream.ScanAsync(c));
        Check.Equal(3L, await FilmUpstream.CountAsync(c), "films counted upstream");
    }

    protected override async Task UpstreamChangeAsync(NpgsqlConnection c)
    {
        // The deferred keys are still checked: a store whose manager never comes fails at COMMIT, storing nothing.
        await using (var transaction = await c.BeginTransactionAsync())
        {
            await StoreUpstream.UpsertAsync(c, [new Store { StoreId = 3, ManagerStaffId = 3, AddressId = 2, LastUpdate = Stamp }]);
            var refused = await Check.ThrowsAsync(() => transaction.CommitAsync(), "committing store 3 upstream without its manager");
            Check.Equal(PostgresErrorCodes.ForeignKeyViolation, (refused as PostgresException)?.SqlState, $"the refusal at COMMIT ({refused.Message})");
        }

        Check.Equal(2L, await StoreUpstream.CountAsync(c), "stores upstream after the refused commit");
        var rerated = Films[2] with { Rating = "NC-17", SpecialFeatures = """{"commentary": true}""" };
        Check.Equal(1, await FilmUpstream.UpsertAsync(c, [rerated]), "film 3 upserted upstream");
        await Check.RowsAsync("film upstream after the upsert", [Films[0], Films[1], rerated], FilmUpstream.ScanAsync(c));
#if EVOLVED
        var opened = Stores[1] with { OpenedOn = new DateOnly(2005, 5, 2) };
        await StoreUpstream.UpsertAsync(c, [opened]);
        await Check.RowsAsync("store upstream with an opening date", [Stores[0], opened], StoreUpstream.ScanAsync(c));
#endif
    }
}
