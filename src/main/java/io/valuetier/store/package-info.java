/** The store: H2 by default, MySQL by one switch, schema by Flyway ({@code db/migration}). */
package io.valuetier.store;
