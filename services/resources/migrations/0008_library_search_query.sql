-- The query the GIN steps and the facet counts ask the search columns: the words of q (NULL: no q) and
-- the filter values (library_search_filter_query). A q of stop words only has no lexeme and matches
-- nothing, with filters or without (ANDing the filter values to it would have matched every resource
-- holding them).
CREATE FUNCTION library_search_query(words tsquery, type text, subject text, grade_band text, topic text,
                                     license text)
RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN $1 IS NULL THEN library_search_filter_query($2, $3, $4, $5, $6)
    WHEN numnode($1) = 0 THEN $1
    ELSE coalesce($1 && library_search_filter_query($2, $3, $4, $5, $6), $1)
  END
$$;
