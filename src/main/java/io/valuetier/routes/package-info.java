/** Hosting the Camel routes of {@code routes/}: loading, placeholders, beans, dead letters. */
package io.valuetier.routes;
