using System.Net;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Views;

/// <summary>
/// A view that can also ask servers one at a time: the authoritative servers of a zone directly, and
/// the configured recursive resolvers. With it a rule can tell "published at the provider" from
/// "visible to the world" and from "differs between the provider's servers". Live and fixture views
/// have it; a zone file does not.
/// </summary>
public interface IServerView
{
    /// <summary>The zone that holds <paramref name="name"/>, as the parent delegates it, and the addresses of its servers.</summary>
    ValueTask<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken);

    /// <summary>
    /// Asks one authoritative server one question, without recursion; its answer is not chased further.
    /// With <paramref name="dnssecOk"/> the DO bit is set, and the proofs of a negative answer come back in <see cref="DnsAnswer.Proof"/>.
    /// </summary>
    ValueTask<ServerAnswer> AskServerAsync(NameServerAddress server, DnsName name, RecordType type, CancellationToken cancellationToken, bool dnssecOk = false);

    /// <summary>The DS records of the root's key where DNSSEC validation starts; empty when there is none.</summary>
    IReadOnlyList<DsData> TrustAnchors { get; }

    /// <summary>The recursive resolvers this view may ask (findings name them by address only).</summary>
    IReadOnlyList<IPEndPoint> Resolvers { get; }

    /// <summary>
    /// Asks a recursive resolver, which answers from its cache when it has one (TTLs count down there).
    /// With <paramref name="checkingDisabled"/> the CD bit is set: a validating resolver then answers
    /// even when DNSSEC validation fails, which tells a DNSSEC failure from any other SERVFAIL.
    /// </summary>
    ValueTask<ServerAnswer> AskResolverAsync(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken, bool checkingDisabled = false);
}

/// <summary>One name server of a zone: its name, and its address when it could be found.</summary>
public sealed record NameServerAddress(DnsName Name, IPAddress? Address)
{
    private string? _label;

    /// <summary>A copy (<c>with</c>) makes its own label: the original's would name the old address.</summary>
    private NameServerAddress(NameServerAddress original)
    {
        Name = original.Name;
        Address = original.Address;
    }

    /// <summary>"ns1.example.com (192.0.2.53)", as findings name a server; made once (every question to the server is keyed by it).</summary>
    public override string ToString() => _label ??= Address is null ? Name.Text.TrimEnd('.') : $"{Name.Text.TrimEnd('.')} ({Address})";

    // Equal by name and address only: the label made on first use is not part of what the record is.
    public bool Equals(NameServerAddress? other) => other is not null && Name.Equals(other.Name) && Equals(Address, other.Address);

    public override int GetHashCode() => HashCode.Combine(Name, Address);
}

/// <summary>
/// A zone's apex, the name servers its parent delegates it to (in the parent's order; empty for the
/// root) and their addresses. <see cref="Failure"/> says why the zone could not be found.
/// </summary>
public sealed record ZoneServers(DnsName Apex, IReadOnlyList<DnsName> Delegation, IReadOnlyList<NameServerAddress> Servers, string? Failure = null)
{
    /// <summary>When a cap of the diagnosis left some of the delegation's servers out of <see cref="Servers"/>: which, and why.</summary>
    public string? Omitted { get; init; }
}

/// <summary>
/// One server's answer to one question. <see cref="DnsAnswer.Status"/> is <c>Failure</c> for
/// SERVFAIL, REFUSED, no answer and lame answers (not authoritative, no referral), with the reason in
/// <see cref="DnsAnswer.Detail"/>; a referral is <c>NotCheckable</c>.
/// </summary>
public sealed record ServerAnswer(string Server, DnsAnswer Answer, bool Authoritative)
{
    /// <summary>The TTL a cache would keep this answer for: the records' TTL, or for a negative answer min(SOA TTL, SOA MINIMUM) (RFC 2308 §5).</summary>
    public uint? CacheTtl => Answer.CacheTtl;
}
