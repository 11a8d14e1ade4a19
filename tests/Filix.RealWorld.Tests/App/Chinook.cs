using Filix.Runtime;
using Npgsql;
using RealWorld.Chinook;

namespace RealWorld;

/// <summary>Chinook: forward references (album -> artist, customer -> employee), the self-reference
/// employee.reports_to, the composite key of playlist_track. After the edit (Schemas/v2): playlist_track."order"
/// added with a default, track.bytes renamed to size_bytes, customer.fax dropped, customer.external_id (uuid, unique,
/// nullable) added, a new index on invoice.billing_country, employee.email made unique (two employees have none).</summary>
internal sealed class ChinookApp : DomainApp<ChinookDatabase>
{
    private static readonly Artist[] Artists =
    [
        new() { ArtistId = 1, Name = "AC/DC" },
        new() { ArtistId = 2, Name = "Accept" },
        new() { ArtistId = 3, Name = null },
    ];

    private static readonly Album[] Albums =
    [
        new() { AlbumId = 1, Title = "For Those About To Rock We Salute You", ArtistId = 1 },
        new() { AlbumId = 2, Title = "Balls to the Wall", ArtistId = 2 },
        new() { AlbumId = 3, Title = "Restless and Wild", ArtistId = 2 },
    ];

    private static readonly Genre[] Genres = [new() { GenreId = 1, Name = "Rock" }, new() { GenreId = 2, Name = null }];

    private static readonly MediaType[] MediaTypes =
    [
        new() { MediaTypeId = 1, Name = "MPEG audio file" },
        new() { MediaTypeId = 2, Name = "Protected AAC audio file" },
    ];

    private static readonly Track[] Tracks =
    [
        new() { TrackId = 1, Name = "For Those About To Rock (We Salute You)", AlbumId = 1, MediaTypeId = 1, GenreId = 1, Composer = "Angus Young, Malcolm Young, Brian Johnson", Milliseconds = 343719, UnitPrice = 0.99,
#if EVOLVED
            SizeBytes = 11170334 },
#else
            Bytes = 11170334 },
#endif
        new() { TrackId = 2, Name = "Balls to the Wall", AlbumId = 2, MediaTypeId = 2, GenreId = 1, Composer = null, Milliseconds = 342562, UnitPrice = 0.99,
#if EVOLVED
            SizeBytes = 5510424 },
#else
            Bytes = 5510424 },
#endif
        new() { TrackId = 3, Name = "Fast As a Shark", AlbumId = 3, MediaTypeId = 2, GenreId = null, Composer = "F. Baltes, S. Kaufman, U. Dirkscneider & W. Hoffman", Milliseconds = 230619, UnitPrice = 0.99 },
        new() { TrackId = 4, Name = "A track on no album", AlbumId = null, MediaTypeId = 1, GenreId = null, Composer = null, Milliseconds = 1000, UnitPrice = 1.99 },
    ];

    private static readonly Employee[] Employees =
    [
        new() { EmployeeId = 1, LastName = "Adams", FirstName = "Andrew", Title = "General Manager", ReportsTo = null, BirthDate = new DateOnly(1962, 2, 18), HireDate = new DateOnly(2002, 8, 14), Address = "11120 Jasper Ave NW", City = "Edmonton", State = "AB", Country = "Canada", PostalCode = "T5K 2N1", Phone = "+1 (780) 428-9482", Fax = "+1 (780) 428-3457", Email = "andrew@chinookcorp.com" },
        new() { EmployeeId = 2, LastName = "Edwards", FirstName = "Nancy", Title = "Sales Manager", ReportsTo = 1, BirthDate = new DateOnly(1958, 12, 8), HireDate = new DateOnly(2002, 5, 1), City = "Calgary", Country = "Canada", Email = null },
        new() { EmployeeId = 3, LastName = "Peacock", FirstName = "Jane", Title = "Sales Support Agent", ReportsTo = 2, BirthDate = new DateOnly(1973, 8, 29), HireDate = null, Email = null },
    ];

    private static readonly Customer[] Customers =
    [
        new() { CustomerId = 1, FirstName = "Luís", LastName = "Gonçalves", Company = "Embraer - Empresa Brasileira de Aeronáutica S.A.", Address = "Av. Brigadeiro Faria Lima, 2170", City = "São José dos Campos", State = "SP", Country = "Brazil", PostalCode = "12227-000", Phone = "+55 (12) 3923-5555", Email = "luisg@embraer.com.br", SupportRepId = 3,
#if !EVOLVED
            Fax = "+55 (12) 3923-5566",
#endif
        },
        new() { CustomerId = 2, FirstName = "Leonie", LastName = "Köhler", Address = "Theodor-Heuss-Straße 34", City = "Stuttgart", Country = "Germany", PostalCode = "70174", Email = "leonekohler@surfeu.de", SupportRepId = 3 },
        new() { CustomerId = 3, FirstName = "François", LastName = "Tremblay", Email = "ftremblay@gmail.com", SupportRepId = null },
    ];

    private static readonly Invoice[] Invoices =
    [
        new() { InvoiceId = 1, CustomerId = 2, InvoiceDate = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), BillingAddress = "Theodor-Heuss-Straße 34", BillingCity = "Stuttgart", BillingCountry = "Germany", BillingPostalCode = "70174", Total = 1.98 },
        new() { InvoiceId = 2, CustomerId = 1, InvoiceDate = new DateTimeOffset(2021, 1, 2, 10, 11, 12, TimeSpan.Zero).AddTicks(3456780), BillingCountry = "Brazil", Total = 13.86 },
    ];

    private static readonly InvoiceLine[] InvoiceLines =
    [
        new() { InvoiceLineId = 1, InvoiceId = 1, TrackId = 2, UnitPrice = 0.99, Quantity = 1 },
        new() { InvoiceLineId = 2, InvoiceId = 1, TrackId = 3, UnitPrice = 0.99, Quantity = 1 },
        new() { InvoiceLineId = 3, InvoiceId = 2, TrackId = 1, UnitPrice = 0.99, Quantity = 14 },
    ];

    private static readonly Playlist[] Playlists = [new() { PlaylistId = 1, Name = "Music" }, new() { PlaylistId = 2, Name = "Movies" }, new() { PlaylistId = 3, Name = null }];

    private static readonly PlaylistTrack[] PlaylistTracks =
    [
        new() { PlaylistId = 1, TrackId = 1 },
        new() { PlaylistId = 1, TrackId = 2 },
        new() { PlaylistId = 1, TrackId = 3 },
        new() { PlaylistId = 2, TrackId = 1 },
    ];

    public override DatabaseSchema Schema => ChinookSchema.Definition;

    protected override Task<ChinookDatabase> OpenAsync(string folder) => ChinookDatabase.OpenInFolderAsync(folder);

    protected override FilixDatabase Raw(ChinookDatabase db) => db.Database;

    protected override async Task WriteAsync(ChinookDatabase db)
    {
        Check.Equal(3, await db.Artist.InsertManyAsync(Artists), "artists inserted");
        await db.Album.InsertManyAsync(Albums);
        await db.Genre.InsertManyAsync(Genres);
        foreach (var mediaType in MediaTypes)
        {
            await db.MediaType.InsertAsync(mediaType);
        }

        await db.Track.InsertManyAsync(Tracks);
        await db.Employee.InsertManyAsync(Employees); // 1, then 2 reporting to 1, then 3 reporting to 2
        await db.Customer.InsertManyAsync(Customers);
        await db.Invoice.InsertManyAsync(Invoices);
        await db.InvoiceLine.InsertManyAsync(InvoiceLines);
        await db.Playlist.InsertManyAsync(Playlists);
        await db.PlaylistTrack.InsertManyAsync(PlaylistTracks);
    }

    protected override async Task CheckAsync(ChinookDatabase db)
    {
        await Check.RowsAsync("album", Albums, db.Album.ScanAsync());
        await Check.RowsAsync("artist", Artists, db.Artist.ScanAsync());
        await Check.RowsAsync("customer", Customers, db.Customer.ScanAsync());
        await Check.RowsAsync("employee", Employees, db.Employee.ScanAsync());
        await Check.RowsAsync("genre", Genres, db.Genre.ScanAsync());
        await Check.RowsAsync("invoice", Invoices, db.Invoice.ScanAsync());
        await Check.RowsAsync("invoice_line", InvoiceLines, db.InvoiceLine.ScanAsync());
        await Check.RowsAsync("media_type", MediaTypes, db.MediaType.ScanAsync());
        await Check.RowsAsync("playlist", Playlists, db.Playlist.ScanAsync());
        await Check.RowsAsync("playlist_track", PlaylistTracks, db.PlaylistTrack.ScanAsync());
        await Check.RowsAsync("track", Tracks, db.Track.ScanAsync());
        Check.Equal(4L, await db.Track.CountAsync(), "tracks counted");
    }

    protected override async Task ExerciseAsync(ChinookDatabase db)
    {
        Check.Equal(Tracks[0], await db.Track.GetAsync(1), "track 1");
        Check.Equal(Employees[2], await db.Employee.GetAsync(3), "employee 3");
        Check.Equal(PlaylistTracks[1], await db.PlaylistTrack.GetAsync(1, 2), "playlist_track (1, 2)");
        Check.Equal(null, await db.Genre.GetAsync(99), "a missing genre");

        // Index lookups, the self-reference and the prefix of the composite key.
        Check.Rows("album by artist 2", Albums[1..], await db.Album.FindByArtistIdAsync(2));
        Check.Rows("employees reporting to 1", [Employees[1]], await db.Employee.FindByReportsToAsync(1));
        Check.Rows("playlist 1", PlaylistTracks[..3], await db.PlaylistTrack.FindByPlaylistIdAsync(1));
        Check.Rows("playlists of track 1", [PlaylistTracks[0], PlaylistTracks[3]], await db.PlaylistTrack.FindByTrackIdAsync(1));
        Check.Rows("lines of invoice 1", InvoiceLines[..2], await db.InvoiceLine.FindByInvoiceIdAsync(1));

        // Update, upsert, delete.
#if EVOLVED
        var changed = Tracks[2] with { SizeBytes = 6852860, Composer = null, UnitPrice = 1.29 };
#else
        var changed = Tracks[2] with { Bytes = 6852860, Composer = null, UnitPrice = 1.29 };
#endif
        Check.True(await db.Track.UpdateAsync(changed), "track 3 updated");
        Check.Equal(changed, await db.Track.GetAsync(3), "track 3 after the update");
        Check.True(!await db.Track.UpdateAsync(changed with { TrackId = 99 }), "an update of a missing track reports false");
        await db.Artist.UpsertAsync(Artists[2] with { Name = "Unknown" });
        Check.Equal("Unknown", (await db.Artist.GetAsync(3))?.Name, "artist 3 after the upsert");
        await db.Employee.UpdateAsync(Employees[2] with { ReportsTo = 1, HireDate = new DateOnly(2002, 4, 1) });
        Check.Rows("employees reporting to 1 after the update", [Employees[1], Employees[2] with { ReportsTo = 1, HireDate = new DateOnly(2002, 4, 1) }], await db.Employee.FindByReportsToAsync(1));
        Check.True(await db.InvoiceLine.DeleteAsync(3), "invoice line 3 deleted");
        Check.Equal(null, await db.InvoiceLine.GetAsync(3), "invoice line 3 after the delete");
        Check.True(!await db.InvoiceLine.DeleteAsync(3), "a second delete reports false");
        Check.True(await db.PlaylistTrack.DeleteAsync(2, 1), "playlist_track (2, 1) deleted");
        await Check.ThrowsAsync(() => db.Artist.DeleteAsync(1), "deleting artist 1, which album 1 references");
        Check.Equal(Artists[0], await db.Artist.GetAsync(1), "artist 1 after the refused delete");

#if EVOLVED
        // The keyword column "order" and its index; a uuid column, unique, with several NULLs.
        Check.True(await db.PlaylistTrack.UpdateAsync(PlaylistTracks[2] with { Order = 3 }), "playlist_track (1, 3) reordered");
        Check.Equal(PlaylistTracks[2] with { Order = 3 }, await db.PlaylistTrack.GetAsync(1, 3), "playlist_track (1, 3) with its order");
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        await db.Customer.UpdateAsync(Customers[0] with { ExternalId = id });
        Check.Equal(Customers[0] with { ExternalId = id }, await db.Customer.GetByExternalIdAsync(id), "customer by external_id");
        await Check.ThrowsAsync(() => db.Customer.UpdateAsync(Customers[1] with { ExternalId = id }), "a second customer with the same external_id");
        Check.Rows("invoices billed to Germany", [Invoices[0]], await db.Invoice.FindByBillingCountryAsync("Germany"));
        Check.Equal(Employees[0], await db.Employee.GetByEmailAsync("andrew@chinookcorp.com"), "employee by email");
        await Check.ThrowsAsync(() => db.Employee.UpdateAsync(Employees[1] with { Email = "andrew@chinookcorp.com" }), "a second employee with Andrew's email");
#endif
    }

    protected override async Task UpstreamWriteAsync(NpgsqlConnection c)
    {
        // Declaration order: album before artist, customer before employee (Postgres defers the keys).
        await AlbumUpstream.UpsertAsync(c, Albums);
        await ArtistUpstream.UpsertAsync(c, Artists);
        await CustomerUpstream.UpsertAsync(c, Customers);
        await EmployeeUpstream.UpsertAsync(c, Enumerable.Reverse(Employees)); // 3 before the 2 it reports to
        await GenreUpstream.UpsertAsync(c, Genres);
        await InvoiceUpstream.UpsertAsync(c, Invoices);
        await InvoiceLineUpstream.UpsertAsync(c, InvoiceLines);
        await MediaTypeUpstream.UpsertAsync(c, MediaTypes);
        await PlaylistUpstream.UpsertAsync(c, Playlists);
        await PlaylistTrackUpstream.UpsertAsync(c, PlaylistTracks);
        await TrackUpstream.UpsertAsync(c, Tracks);
    }

    protected override async Task UpstreamCheckAsync(NpgsqlConnection c)
    {
        await Check.RowsAsync("album upstream", Albums, AlbumUpstream.ScanAsync(c));
        await Check.RowsAsync("artist upstream", Artists, ArtistUpstream.ScanAsync(c));
        await Check.RowsAsync("customer upstream", Customers, CustomerUpstream.ScanAsync(c));
        await Check.RowsAsync("employee upstream", Employees, EmployeeUpstream.ScanAsync(c));
        await Check.RowsAsync("genre upstream", Genres, GenreUpstream.ScanAsync(c));
        await Check.RowsAsync("invoice upstream", Invoices, InvoiceUpstream.ScanAsync(c));
        await Check.RowsAsync("invoice_line upstream", InvoiceLines, InvoiceLineUpstream.ScanAsync(c));
        await Check.RowsAsync("media_type upstream", MediaTypes, MediaTypeUpstream.ScanAsync(c));
        await Check.RowsAsync("playlist upstream", Playlists, PlaylistUpstream.ScanAsync(c));
        await Check.RowsAsync("playlist_track upstream", PlaylistTracks, PlaylistTrackUpstream.ScanAsync(c));
        await Check.RowsAsync("track upstream", Tracks, TrackUpstream.ScanAsync(c));
        Check.Equal(4L, await TrackUpstream.CountAsync(c), "tracks counted upstream");
    }

    protected override async Task UpstreamChangeAsync(NpgsqlConnection c)
    {
        var renamed = Artists[2] with { Name = "Unknown" };
        Check.Equal(1, await ArtistUpstream.UpsertAsync(c, [renamed]), "artist 3 upserted upstream");
        await Check.RowsAsync("artist upstream after the upsert", [Artists[0], Artists[1], renamed], ArtistUpstream.ScanAsync(c));
#if EVOLVED
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var customers = new[] { Customers[0] with { ExternalId = id }, Customers[1], Customers[2] };
        await CustomerUpstream.UpsertAsync(c, customers);
        await Check.RowsAsync("customer upstream with an external_id", customers, CustomerUpstream.ScanAsync(c));
        var reordered = PlaylistTracks[0] with { Order = 7 };
        await PlaylistTrackUpstream.UpsertAsync(c, [reordered]);
        await Check.RowsAsync("playlist_track upstream reordered", [reordered, .. PlaylistTracks[1..]], PlaylistTrackUpstream.ScanAsync(c));
#endif
    }
}
