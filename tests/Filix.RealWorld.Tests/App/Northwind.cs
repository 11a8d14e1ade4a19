using Filix.Runtime;
using Npgsql;
using RealWorld.Northwind;

namespace RealWorld;

/// <summary>Northwind: forward references everywhere (customer_customer_demo, orders, products), three composite
/// keys, the self-reference employees.reports_to, blobs, dates, a boolean. After the edit (Schemas/v2): a new table
/// "user" with the keyword columns "group", "default", "from", "order" and an index over two of them;
/// products.tags (json, default []) added; the table shippers, which orders.ship_via references, renamed to carriers
/// and its column phone to phone_number; employees.photo_path dropped;
/// a new index on orders.ship_country; the table us_states dropped.</summary>
internal sealed class NorthwindApp : DomainApp<NorthwindDatabase>
{
    private static readonly Category[] Categories =
    [
        new() { CategoryId = 1, CategoryName = "Beverages", Description = "Soft drinks, coffees, teas, beers, and ales", Picture = [0x15, 0x1C, 0x2F, 0x00, 0x02, 0x00, 0xFF] },
        new() { CategoryId = 2, CategoryName = "Condiments", Description = null, Picture = null },
    ];

    private static readonly CustomerDemographic[] Demographics =
    [
        new() { CustomerTypeId = "LOYAL", CustomerDesc = "Customers who order every month" },
        new() { CustomerTypeId = "NEW", CustomerDesc = null },
    ];

    private static readonly Customer[] Customers =
    [
        new() { CustomerId = "ALFKI", CompanyName = "Alfreds Futterkiste", ContactName = "Maria Anders", ContactTitle = "Sales Representative", Address = "Obere Str. 57", City = "Berlin", Region = null, PostalCode = "12209", Country = "Germany", Phone = "030-0074321", Fax = "030-0076545" },
        new() { CustomerId = "ANATR", CompanyName = "Ana Trujillo Emparedados y helados", ContactName = "Ana Trujillo", ContactTitle = "Owner", Address = "Avda. de la Constitución 2222", City = "México D.F.", PostalCode = "05021", Country = "Mexico", Phone = "(5) 555-4729" },
        new() { CustomerId = "BONAP", CompanyName = "Bon app'", Country = "France" },
    ];

    private static readonly CustomerCustomerDemo[] CustomerDemos =
    [
        new() { CustomerId = "ALFKI", CustomerTypeId = "LOYAL" },
        new() { CustomerId = "ANATR", CustomerTypeId = "LOYAL" },
        new() { CustomerId = "ANATR", CustomerTypeId = "NEW" },
    ];

    private static readonly Employee[] Employees =
    [
        new() { EmployeeId = 2, LastName = "Fuller", FirstName = "Andrew", Title = "Vice President, Sales", TitleOfCourtesy = "Dr.", BirthDate = new DateOnly(1952, 2, 19), HireDate = new DateOnly(1992, 8, 14), Address = "908 W. Capital Way", City = "Tacoma", Region = "WA", PostalCode = "98401", Country = "USA", HomePhone = "(206) 555-9482", Extension = "3457", Photo = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10], Notes = "Andrew received his BTS commercial in 1974.", ReportsTo = null,
#if !EVOLVED
            PhotoPath = "http://accweb/emmployees/fuller.bmp",
#endif
        },
        new() { EmployeeId = 5, LastName = "Buchanan", FirstName = "Steven", Title = "Sales Manager", TitleOfCourtesy = "Mr.", BirthDate = new DateOnly(1955, 3, 4), HireDate = new DateOnly(1993, 10, 17), City = "London", Country = "UK", Extension = "3453", ReportsTo = 2 },
        new() { EmployeeId = 6, LastName = "Suyama", FirstName = "Michael", ReportsTo = 5 },
    ];

    private static readonly Region[] Regions = [new() { RegionId = 1, RegionDescription = "Eastern" }, new() { RegionId = 2, RegionDescription = "Western" }];

    private static readonly Territory[] Territories =
    [
        new() { TerritoryId = "01581", TerritoryDescription = "Westboro", RegionId = 1 },
        new() { TerritoryId = "02116", TerritoryDescription = "Boston", RegionId = 1 },
        new() { TerritoryId = "98004", TerritoryDescription = "Bellevue", RegionId = 2 },
    ];

    private static readonly EmployeeTerritory[] EmployeeTerritories =
    [
        new() { EmployeeId = 2, TerritoryId = "01581" },
        new() { EmployeeId = 5, TerritoryId = "02116" },
        new() { EmployeeId = 5, TerritoryId = "98004" },
    ];

    private static readonly Shipper[] Shippers =
    [
#if EVOLVED
        new() { ShipperId = 1, CompanyName = "Speedy Express", PhoneNumber = "(503) 555-9831" },
#else
        new() { ShipperId = 1, CompanyName = "Speedy Express", Phone = "(503) 555-9831" },
#endif
        new() { ShipperId = 2, CompanyName = "United Package" },
    ];

    private static readonly Supplier[] Suppliers =
    [
        new() { SupplierId = 1, CompanyName = "Exotic Liquids", ContactName = "Charlotte Cooper", ContactTitle = "Purchasing Manager", Address = "49 Gilbert St.", City = "London", PostalCode = "EC1 4SD", Country = "UK", Phone = "(171) 555-2222" },
        new() { SupplierId = 2, CompanyName = "New Orleans Cajun Delights", Region = "LA", Country = "USA", Homepage = "#CAJUN.HTM#" },
    ];

    private static readonly Product[] Products =
    [
        new() { ProductId = 1, ProductName = "Chai", SupplierId = 1, CategoryId = 1, QuantityPerUnit = "10 boxes x 20 bags", UnitPrice = 18, UnitsInStock = 39, UnitsOnOrder = 0, ReorderLevel = 10, Discontinued = false },
        new() { ProductId = 2, ProductName = "Chang", SupplierId = 1, CategoryId = 1, QuantityPerUnit = "24 - 12 oz bottles", UnitPrice = 19, UnitsInStock = 17, UnitsOnOrder = 40, ReorderLevel = 25 },
        new() { ProductId = 5, ProductName = "Chef Anton's Gumbo Mix", SupplierId = 2, CategoryId = 2, QuantityPerUnit = "36 boxes", UnitPrice = 21.35, UnitsInStock = 0, UnitsOnOrder = 0, ReorderLevel = 0, Discontinued = true },
    ];

    private static readonly Order[] Orders =
    [
        new() { OrderId = 10248, CustomerId = "ALFKI", EmployeeId = 5, OrderDate = new DateOnly(1996, 7, 4), RequiredDate = new DateOnly(1996, 8, 1), ShippedDate = new DateOnly(1996, 7, 16), ShipVia = 2, Freight = 32.38, ShipName = "Vins et alcools Chevalier", ShipAddress = "59 rue de l'Abbaye", ShipCity = "Reims", ShipPostalCode = "51100", ShipCountry = "France" },
        new() { OrderId = 10249, CustomerId = "ANATR", EmployeeId = 6, OrderDate = new DateOnly(1996, 7, 5), RequiredDate = new DateOnly(1996, 8, 16), ShippedDate = null, ShipVia = 1, Freight = 11.61, ShipCountry = "Germany" },
        new() { OrderId = 10250 },
    ];

    private static readonly OrderDetail[] OrderDetails =
    [
        new() { OrderId = 10248, ProductId = 1, UnitPrice = 14, Quantity = 12, Discount = 0 },
        new() { OrderId = 10248, ProductId = 2, UnitPrice = 9.8, Quantity = 10, Discount = 0 },
        new() { OrderId = 10249, ProductId = 5, UnitPrice = 34.8, Quantity = 5, Discount = 0.15 },
    ];

#if !EVOLVED
    private static readonly UsState[] UsStates =
    [
        new() { StateId = 1, StateName = "Alabama", StateAbbr = "AL", StateRegion = "south" },
        new() { StateId = 2, StateName = "Alaska", StateAbbr = "AK", StateRegion = "north" },
    ];
#endif

#if EVOLVED
    private static readonly User[] Users =
    [
        new() { Id = 1, EmployeeId = 2, Group = "admin", Default = true, From = new DateOnly(2020, 1, 1), Order = 1 },
        new() { Id = 2, EmployeeId = 5, From = new DateOnly(2021, 6, 30), Order = null },
        new() { Id = 3, EmployeeId = 6, From = new DateOnly(2022, 2, 28), Order = 2 },
    ];
#endif

    public override DatabaseSchema Schema => NorthwindSchema.Definition;

    protected override Task<NorthwindDatabase> OpenAsync(string folder) => NorthwindDatabase.OpenInFolderAsync(folder);

    protected override FilixDatabase Raw(NorthwindDatabase db) => db.Database;

    protected override async Task WriteAsync(NorthwindDatabase db)
    {
        await db.Categories.InsertManyAsync(Categories);
        await db.CustomerDemographics.InsertManyAsync(Demographics);
        await db.Customers.InsertManyAsync(Customers);
        await db.CustomerCustomerDemo.InsertManyAsync(CustomerDemos);
        await db.Employees.InsertManyAsync(Employees);
        await db.Region.InsertManyAsync(Regions);
        await db.Territories.InsertManyAsync(Territories);
        await db.EmployeeTerritories.InsertManyAsync(EmployeeTerritories);
#if EVOLVED
        await db.Carriers.InsertManyAsync(Shippers);
#else
        await db.Shippers.InsertManyAsync(Shippers);
#endif
        await db.Suppliers.InsertManyAsync(Suppliers);
        await db.Products.InsertManyAsync(Products);
        await db.Orders.InsertManyAsync(Orders);
        await db.OrderDetails.InsertManyAsync(OrderDetails);
#if !EVOLVED
        await db.UsStates.InsertManyAsync(UsStates);
#endif
    }

    protected override async Task CheckAsync(NorthwindDatabase db)
    {
        await Check.RowsAsync("categories", Categories, db.Categories.ScanAsync());
        await Check.RowsAsync("customer_customer_demo", CustomerDemos, db.CustomerCustomerDemo.ScanAsync());
        await Check.RowsAsync("customer_demographics", Demographics, db.CustomerDemographics.ScanAsync());
        await Check.RowsAsync("customers", Customers, db.Customers.ScanAsync());
        await Check.RowsAsync("employees", Employees, db.Employees.ScanAsync());
        await Check.RowsAsync("employee_territories", EmployeeTerritories, db.EmployeeTerritories.ScanAsync());
        await Check.RowsAsync("order_details", OrderDetails, db.OrderDetails.ScanAsync());
        await Check.RowsAsync("orders", Orders, db.Orders.ScanAsync());
        await Check.RowsAsync("products", Products, db.Products.ScanAsync());
        await Check.RowsAsync("region", Regions, db.Region.ScanAsync());
#if EVOLVED
        await Check.RowsAsync("carriers", Shippers, db.Carriers.ScanAsync());
#else
        await Check.RowsAsync("shippers", Shippers, db.Shippers.ScanAsync());
#endif
        await Check.RowsAsync("suppliers", Suppliers, db.Suppliers.ScanAsync());
        await Check.RowsAsync("territories", Territories, db.Territories.ScanAsync());
#if !EVOLVED
        await Check.RowsAsync("us_states", UsStates, db.UsStates.ScanAsync());
#endif
        Check.Equal(3L, await db.Orders.CountAsync(), "orders counted");
    }

    protected override async Task ExerciseAsync(NorthwindDatabase db)
    {
        Check.Equal(Customers[0], await db.Customers.GetAsync("ALFKI"), "customer ALFKI");
        Check.Equal(Employees[0], await db.Employees.GetAsync(2), "employee 2 (blob photo)");
        Check.Equal(OrderDetails[2], await db.OrderDetails.GetAsync(10249, 5), "order_details (10249, 5)");
        Check.Equal(Categories[0], await db.Categories.GetAsync(1), "category 1 (blob picture)");

        Check.Rows("orders of ANATR", [Orders[1]], await db.Orders.FindByCustomerIdAsync("ANATR"));
        Check.Rows("orders of employee 5", [Orders[0]], await db.Orders.FindByEmployeeIdAsync(5));
        Check.Rows("order 10248's lines", OrderDetails[..2], await db.OrderDetails.FindByOrderIdAsync(10248));
        Check.Rows("lines of product 5", [OrderDetails[2]], await db.OrderDetails.FindByProductIdAsync(5));
        Check.Rows("territories of employee 5", EmployeeTerritories[1..], await db.EmployeeTerritories.FindByEmployeeIdAsync(5));
        Check.Rows("demographics of ANATR", CustomerDemos[1..], await db.CustomerCustomerDemo.FindByCustomerIdAsync("ANATR"));
        Check.Rows("products of category 1", Products[..2], await db.Products.FindByCategoryIdAsync(1));

        var back = Products[2] with { Discontinued = false, UnitPrice = 22, QuantityPerUnit = null };
        Check.True(await db.Products.UpdateAsync(back), "product 5 updated");
        Check.Equal(back, await db.Products.GetAsync(5), "product 5 after the update");
        var pictured = Categories[1] with { Picture = [1, 2, 3], Description = "Sweet and savory sauces" };
        Check.True(await db.Categories.UpdateAsync(pictured), "category 2 updated");
        Check.Equal(pictured, await db.Categories.GetAsync(2), "category 2 after the update");
#if EVOLVED
        await db.Carriers.UpsertAsync(Shippers[1] with { CompanyName = "United Package Ltd." });
        Check.Equal("United Package Ltd.", (await db.Carriers.GetAsync(2))?.CompanyName, "carrier 2 after the upsert");
#else
        await db.Shippers.UpsertAsync(Shippers[1] with { CompanyName = "United Package Ltd." });
        Check.Equal("United Package Ltd.", (await db.Shippers.GetAsync(2))?.CompanyName, "shipper 2 after the upsert");
#endif
        Check.True(await db.OrderDetails.DeleteAsync(10249, 5), "order_details (10249, 5) deleted");
        Check.Rows("lines of product 5 after the delete", [], await db.OrderDetails.FindByProductIdAsync(5));
        await Check.ThrowsAsync(() => db.Employees.DeleteAsync(5), "deleting employee 5, whom employee 6 reports to");
        await Check.ThrowsAsync(() => db.Territories.InsertAsync(new() { TerritoryId = "99999", TerritoryDescription = "Nowhere", RegionId = 9 }), "a territory in a missing region");

#if EVOLVED
        // The new table named "user" and its keyword columns, through every call.
        await db.User.InsertManyAsync(Users);
        Check.Equal(Users[0], await db.User.GetAsync(1), "user 1");
        Check.Equal("staff", (await db.User.GetAsync(2))?.Group, "user 2's default group");
        Check.Rows("users of group staff in order 2", [Users[2]], await db.User.FindByGroupAndOrderAsync("staff", 2));
        Check.Rows("users of group admin in order 1", [Users[0]], await db.User.FindByGroupAndOrderAsync("admin", 1));
        var moved = Users[2] with { Group = "admin", Default = true, From = new DateOnly(2023, 3, 1) };
        Check.True(await db.User.UpdateAsync(moved), "user 3 updated");
        await Check.RowsAsync("user", [Users[0], Users[1], moved], db.User.ScanAsync());
        Check.True(await db.User.DeleteAsync(2), "user 2 deleted");
        Check.Equal(2L, await db.User.CountAsync(), "users counted");

        var tagged = Products[0] with { Tags = """["organic", "fair trade"]""" };
        Check.True(await db.Products.UpdateAsync(tagged), "product 1 tagged");
        Check.Equal(tagged, await db.Products.GetAsync(1), "product 1 with its tags");
        Check.Rows("orders shipped to France", [Orders[0]], await db.Orders.FindByShipCountryAsync("France"));

        // orders.ship_via now references carriers: a new carrier can be shipped with, a missing one cannot, and a
        // carrier still shipped with cannot go.
        var carrier = new Shipper { ShipperId = 3, CompanyName = "Federal Shipping", PhoneNumber = "(503) 555-9931" };
        await db.Carriers.InsertAsync(carrier);
        var shipped = Orders[2] with { OrderId = 10300, ShipVia = 3 };
        await db.Orders.InsertAsync(shipped);
        Check.Equal(shipped, await db.Orders.GetAsync(10300), "an order shipped with the new carrier");
        await Check.ThrowsAsync(() => db.Orders.InsertAsync(shipped with { OrderId = 10301, ShipVia = 4 }), "an order shipped with a missing carrier");
        await Check.ThrowsAsync(() => db.Carriers.DeleteAsync(3), "deleting carrier 3, which order 10300 ships with");
        Check.True(await db.Orders.DeleteAsync(10300), "order 10300 deleted");
        Check.True(await db.Carriers.DeleteAsync(3), "carrier 3 deleted");
#endif
    }

    protected override async Task UpstreamWriteAsync(NpgsqlConnection c)
    {
        // Declaration order: customer_customer_demo before customers, order_details before orders and products.
        await CategoriesUpstream.UpsertAsync(c, Categories);
        await CustomerCustomerDemoUpstream.UpsertAsync(c, CustomerDemos);
        await CustomerDemographicsUpstream.UpsertAsync(c, Demographics);
        await CustomersUpstream.UpsertAsync(c, Customers);
        await EmployeesUpstream.UpsertAsync(c, Enumerable.Reverse(Employees));
        await EmployeeTerritoriesUpstream.UpsertAsync(c, EmployeeTerritories);
        await OrderDetailsUpstream.UpsertAsync(c, OrderDetails);
        await OrdersUpstream.UpsertAsync(c, Orders);
        await ProductsUpstream.UpsertAsync(c, Products);
        await RegionUpstream.UpsertAsync(c, Regions);
#if EVOLVED
        await CarriersUpstream.UpsertAsync(c, Shippers);
#else
        await ShippersUpstream.UpsertAsync(c, Shippers);
#endif
        await SuppliersUpstream.UpsertAsync(c, Suppliers);
        await TerritoriesUpstream.UpsertAsync(c, Territories);
#if !EVOLVED
        await UsStatesUpstream.UpsertAsync(c, UsStates);
#endif
    }

    protected override async Task UpstreamCheckAsync(NpgsqlConnection c)
    {
        await Check.RowsAsync("categories upstream", Categories, CategoriesUpstream.ScanAsync(c));
        await Check.RowsAsync("customer_customer_demo upstream", CustomerDemos, CustomerCustomerDemoUpstream.ScanAsync(c));
        await Check.RowsAsync("customer_demographics upstream", Demographics, CustomerDemographicsUpstream.ScanAsync(c));
        await Check.RowsAsync("customers upstream", Customers, CustomersUpstream.ScanAsync(c));
        await Check.RowsAsync("employees upstream", Employees, EmployeesUpstream.ScanAsync(c));
        await Check.RowsAsync("employee_territories upstream", EmployeeTerritories, EmployeeTerritoriesUpstream.ScanAsync(c));
        await Check.RowsAsync("order_details upstream", OrderDetails, OrderDetailsUpstream.ScanAsync(c));
        await Check.RowsAsync("orders upstream", Orders, OrdersUpstream.ScanAsync(c));
        await Check.RowsAsync("products upstream", Products, ProductsUpstream.ScanAsync(c));
        await Check.RowsAsync("region upstream", Regions, RegionUpstream.ScanAsync(c));
#if EVOLVED
        await Check.RowsAsync("carriers upstream", Shippers, CarriersUpstream.ScanAsync(c));
#else
        await Check.RowsAsync("shippers upstream", Shippers, ShippersUpstream.ScanAsync(c));
#endif
        await Check.RowsAsync("suppliers upstream", Suppliers, SuppliersUpstream.ScanAsync(c));
        await Check.RowsAsync("territories upstream", Territories, TerritoriesUpstream.ScanAsync(c));
#if !EVOLVED
        await Check.RowsAsync("us_states upstream", UsStates, UsStatesUpstream.ScanAsync(c));
#endif
        Check.Equal(3L, await OrdersUpstream.CountAsync(c), "orders counted upstream");
    }

    protected override async Task UpstreamChangeAsync(NpgsqlConnection c)
    {
        var changed = Products[2] with { Discontinued = false, UnitPrice = 22 };
        Check.Equal(1, await ProductsUpstream.UpsertAsync(c, [changed]), "product 5 upserted upstream");
        await Check.RowsAsync("products upstream after the upsert", [Products[0], Products[1], changed], ProductsUpstream.ScanAsync(c));
#if EVOLVED
        await UserUpstream.UpsertAsync(c, Users);
        await Check.RowsAsync("user upstream", Users, UserUpstream.ScanAsync(c));
        var tagged = Products[0] with { Tags = """["organic", "fair trade"]""" };
        await ProductsUpstream.UpsertAsync(c, [tagged]);
        await Check.RowsAsync("products upstream with tags", [tagged, Products[1], changed], ProductsUpstream.ScanAsync(c));

        // orders.ship_via follows the renamed table upstream too (each upsert its own transaction: the deferred key
        // is checked at its end).
        await CarriersUpstream.UpsertAsync(c, [new Shipper { ShipperId = 3, CompanyName = "Federal Shipping" }]);
        var shipped = Orders[2] with { OrderId = 10300, ShipVia = 3 };
        await OrdersUpstream.UpsertAsync(c, [shipped]);
        await Check.RowsAsync("orders upstream with one shipped by the new carrier", [.. Orders, shipped], OrdersUpstream.ScanAsync(c));
        var refused = await Check.ThrowsAsync(() => OrdersUpstream.UpsertAsync(c, [shipped with { OrderId = 10301, ShipVia = 4 }]), "an order shipped upstream with a missing carrier");
        Check.Equal(PostgresErrorCodes.ForeignKeyViolation, (refused as PostgresException)?.SqlState, $"the refusal upstream ({refused.Message})");
#endif
    }
}
