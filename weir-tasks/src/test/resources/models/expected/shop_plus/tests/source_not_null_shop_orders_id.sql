-- not_null: the rows whose id is null
select id
from "raw"."shop_orders"
where id is null
