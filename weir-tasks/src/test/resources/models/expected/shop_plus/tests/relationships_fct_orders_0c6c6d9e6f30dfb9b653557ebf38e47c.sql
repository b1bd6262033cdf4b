-- relationships: the values of customer_id that "main_marts"."customers".customer_id does not have
select child.customer_id as from_field
from "main_marts"."fct_orders" as child
left join "main_marts"."customers" as parent
    on child.customer_id = parent.customer_id
where child.customer_id is not null
  and parent.customer_id is null
