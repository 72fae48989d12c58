"""The value vocabularies of the data contract (DATA_CONTRACT.md), in one place."""

ROLES = ("rep", "manager", "admin")
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
LIFECYCLE_STAGES = ("prospect", "customer", "churned")
LEAD_SOURCES = ("website", "referral", "event", "outbound", "paid_ads", "partner")
LEAD_STATUSES = ("new", "working", "qualified", "converted", "disqualified")
DEAL_STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
OPEN_DEAL_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
CLOSED_DEAL_STAGES = ("closed_won", "closed_lost")
INVOICE_STATUSES = ("draft", "pending_approval", "approved", "sent", "paid", "void")
PAYMENT_TERMS = ("due_on_receipt", "net_15", "net_30", "net_45", "net_60")
PAYMENT_TERMS_DAYS = {"due_on_receipt": 0, "net_15": 15, "net_30": 30, "net_45": 45, "net_60": 60}
PAYMENT_METHODS = ("card", "bank_transfer", "check", "other")
ACTIVITY_TYPES = ("email", "call", "meeting", "note")
TICKET_PRIORITIES = ("low", "medium", "high", "urgent")
TICKET_STATUSES = ("open", "pending", "resolved", "closed")
CHURN_RISKS = ("low", "medium", "high")

# Column ("table.column") -> its vocabulary: the one place every layer looks values up.
BY_COLUMN: dict[str, tuple[str, ...]] = {
    "users.role": ROLES,
    "companies.region": REGIONS,
    "leads.region": REGIONS,
    "companies.lifecycle_stage": LIFECYCLE_STAGES,
    "leads.source": LEAD_SOURCES,
    "leads.status": LEAD_STATUSES,
    "deals.stage": DEAL_STAGES,
    "invoices.status": INVOICE_STATUSES,
    "invoices.payment_terms": PAYMENT_TERMS,
    "payments.method": PAYMENT_METHODS,
    "activities.type": ACTIVITY_TYPES,
    "support_tickets.priority": TICKET_PRIORITIES,
    "support_tickets.status": TICKET_STATUSES,
    "customer_insights.churn_risk": CHURN_RISKS,
}
