using RulesApi.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddRulesApi();

var app = builder.Build();
app.UseRulesApi();
app.Run();

/// <summary>The entry point, public so tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
