package io.valuetier.records;

import java.time.LocalDate;

/** The business facts of one customer, as the shop knows them; any field but the id may be unknown (null). */
public record CustomerFacts(
    String customerId,
    String segment,
    String country,
    Boolean marketingConsent,
    Boolean loyaltyMember,
    LocalDate signupDate,
    Integer openComplaints,
    Boolean fraudFlag) {}
