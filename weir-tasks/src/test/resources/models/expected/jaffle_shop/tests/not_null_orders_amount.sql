-- not_null: the rows whose amount is null
select amount
from "main"."orders"
where amount is null
