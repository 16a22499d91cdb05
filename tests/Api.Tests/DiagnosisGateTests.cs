using Microsoft.Extensions.Options;
using RulesApi.Dns.Names;
using RulesApi.Fixtures;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Tests;

/// <summary>
/// Each kind of diagnosis has slots of its own: large zone audits never hold up fixture runs and small zones, and
/// those never wait on slots sized for audits.
/// </summary>
public sealed class DiagnosisGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static DiagnosisGate Gate(int auditSlots = 1, int smallSlots = 2, int queue = 0) => new(Options.Create(new ClientLimitOptions
    {
        OfflineConcurrency = auditSlots,
        SmallOfflineConcurrency = smallSlots,
        OfflineQueue = queue,
        SmallZoneBytes = 1024,
    }));

    private static DiagnosisRequest Zone(int bytes)
    {
        var text = "; " + new string('x', bytes - 3) + "\n";
        return new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(text, DnsName.Parse("example.com.")));
    }

    [Fact]
    public void A_request_takes_the_slots_of_its_kind_and_zone_text_is_small_up_to_the_set_size()
    {
        using var gate = Gate();

        Assert.Equal(DiagnosisSlots.SmallOffline, gate.SlotsFor(new DiagnosisRequest(new DiagnosisInput.Fixture(FixtureScenario.BuiltIn["healthy"]))));
        Assert.Equal(DiagnosisSlots.SmallOffline, gate.SlotsFor(Zone(1024)));
        Assert.Equal(DiagnosisSlots.Offline, gate.SlotsFor(Zone(1025)));
        Assert.Equal(DiagnosisSlots.Live, gate.SlotsFor(new DiagnosisRequest(new DiagnosisInput.Live())));
        // Zone text that is not in memory (read from elsewhere) is not known to be small.
        Assert.Equal(DiagnosisSlots.Offline, gate.SlotsFor(new DiagnosisRequest(new DiagnosisInput.ZoneText(() => new StringReader(""), null))));
    }

    [Fact]
    public void Zone_text_is_measured_in_utf8_bytes_whether_it_came_as_text_or_as_bytes()
    {
        using var gate = Gate();
        // 600 characters of two UTF-8 bytes each: within 1,024 characters, beyond 1,024 bytes.
        var text = "; " + new string('é', 600) + "\n";

        Assert.Equal(DiagnosisSlots.Offline, gate.SlotsFor(new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(text, DnsName.Parse("example.com.")))));
    }

    [Fact]
    public async Task Small_diagnoses_never_get_fewer_slots_than_audits()
    {
        using var gate = Gate(auditSlots: 3, smallSlots: 1);

        var leases = new List<System.Threading.RateLimiting.RateLimitLease>();
        for (var i = 0; i < 3; i++)
        {
            leases.Add(await gate.EnterAsync(DiagnosisSlots.SmallOffline, Deadline, TimeSpan.Zero, CancellationToken.None));
        }

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task Small_diagnoses_go_on_while_the_audits_slots_and_queue_are_full_and_have_a_limit_of_their_own()
    {
        using var gate = Gate(auditSlots: 1, smallSlots: 2, queue: 0);

        using var audit = await gate.EnterAsync(DiagnosisSlots.Offline, Deadline, TimeSpan.Zero, CancellationToken.None);
        using var secondAudit = await gate.EnterAsync(DiagnosisSlots.Offline, Deadline, TimeSpan.Zero, CancellationToken.None);
        using var small = await gate.EnterAsync(DiagnosisSlots.SmallOffline, Deadline, TimeSpan.Zero, CancellationToken.None);
        using var secondSmall = await gate.EnterAsync(DiagnosisSlots.SmallOffline, Deadline, TimeSpan.Zero, CancellationToken.None);
        using var thirdSmall = await gate.EnterAsync(DiagnosisSlots.SmallOffline, Deadline, TimeSpan.Zero, CancellationToken.None);

        Assert.True(audit.IsAcquired);
        Assert.False(secondAudit.IsAcquired);
        Assert.True(small.IsAcquired);
        Assert.True(secondSmall.IsAcquired);
        Assert.False(thirdSmall.IsAcquired);
        Assert.Equal((0, 0), gate.Slots(DiagnosisSlots.Offline));
        Assert.Equal((0, 0), gate.Slots(DiagnosisSlots.SmallOffline));
    }
}
