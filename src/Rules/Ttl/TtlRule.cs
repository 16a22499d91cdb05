using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Ttl;

/// <summary>The TTL family: how long a fix takes to be seen, and what keeps a zone served.</summary>
public abstract class TtlRule : Rule
{
    protected const string Rfc2308NegativeCaching = "https://www.rfc-editor.org/rfc/rfc2308#section-5";

    protected override string Family => "TTL";
}
